package io.livykernel.execution;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the in-JVM kernel server tests (after kotlin-jupyter's KernelServerTestsBase): each test gets a
 * fresh {@link KernelServerHarness}, a server on loopback with a stub backend and a JeroMQ frontend.
 */
abstract class KernelServerTestBase {
    protected KernelServerHarness kernel;

    @BeforeEach
    void startKernel() throws Exception {
        kernel = new KernelServerHarness();
    }

    @AfterEach
    void stopKernel() {
        kernel.close();
    }
}
