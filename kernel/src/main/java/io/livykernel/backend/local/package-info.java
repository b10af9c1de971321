/**
 * The embedded local backend: a child Python running an IPython shell, driven over its stdin and stdout, which
 * exits when the JVM's pipe closes. May import {@code api}, {@code backend}, {@code config} and {@code messages}.
 */
package io.livykernel.backend.local;
