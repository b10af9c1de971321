/**
 * The platform's policy on what sessions and batches may ask for ({@code SessionLimits}: caps on memory, cores,
 * executors, queues and Spark settings), and how each application is
 * tagged for accountability ({@code AccountingTags}), and what an application has used, read from YARN's
 * ResourceManager ({@code ResourceManager}, {@code ApplicationUsage}). Imports {@code config}, {@code http} and
 * {@code messages}.
 */
package io.livykernel.policy;
