/**
 * Livy's REST API as the kernel speaks it: {@code LivyClient} (every request through the {@code http} stack,
 * exactly-once POSTs), how to reach the server ({@code LivySettings}), one plain record per REST shape (read with
 * {@code JsonFields}), the exceptions the client throws, and their wording: {@code LivyErrors} and
 * {@code KerberosRefusals} turn error answers into those exceptions, and {@code LivyProblems} is the one place
 * that turns them into user-facing errors (it lives here because the client asks it whether Livy refused a
 * request for the session's state). Imports {@code api} (the user-facing error), {@code config} and
 * {@code http}; never the session layer ({@code backend.livy}) or {@code backend.livy.view}, which use it.
 */
package io.livykernel.backend.livy.rest;
