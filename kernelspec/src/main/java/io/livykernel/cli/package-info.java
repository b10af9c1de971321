/**
 * The entry point ({@code java -jar livy-kernel.jar}): the Commons CLI commands (kernel, install, submit, status,
 * logs, kill, analyze), the wiring that reads the configuration and builds the backends ({@code KernelBackends}),
 * and the spark-submit route. The only package that may depend on every other.
 */
package io.livykernel.cli;
