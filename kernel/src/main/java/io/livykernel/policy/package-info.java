/**
 * The platform's policy on what sessions and batches may ask for ({@code SessionLimits}: caps on memory, cores,
 * executors, queues and Spark settings), and how each application is
 * tagged for accountability ({@code AccountingTags}). Imports only {@code config}.
 */
package io.livykernel.policy;
