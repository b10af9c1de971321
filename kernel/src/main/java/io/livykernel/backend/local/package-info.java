/**
 * The embedded local backend: a child ipykernel started and driven over the same protocol code, which exits when
 * the JVM's pipe closes. May import {@code api}, {@code backend}, {@code config}, {@code messages} and
 * {@code protocol} (it is a Jupyter client of its child).
 */
package io.livykernel.backend.local;
