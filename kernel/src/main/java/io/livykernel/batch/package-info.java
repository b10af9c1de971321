/**
 * Batch jobs: a PySpark entry file, a packed project or a notebook, turned into Livy's POST /batches and
 * followed to the end with exit codes a scheduler can rely on. The command line lives in the kernelspec
 * module ({@code submit}, {@code status}, {@code logs}, {@code kill}); this package holds the logic.
 */
package io.livykernel.batch;
