/**
 * The platform's policy on what sessions and batches may ask for ({@code SessionLimits}: caps on memory, cores,
 * executors, queues and Spark settings), and how each application is
 * tagged for accountability ({@code AccountingTags}), and what an application has used, read from YARN's
 * ResourceManager ({@code ResourceManager}, {@code ApplicationUsage}) or, when it cannot be read, Spark's executors
 * API ({@code ExecutorsHeld}); {@code UsageReader} picks the source and {@code ResourceUsage} says which it was.
 * Imports {@code analyze} (its Spark REST client and {@code ClusterUsage}), {@code config}, {@code http} and
 * {@code messages}.
 */
package io.livykernel.policy;
