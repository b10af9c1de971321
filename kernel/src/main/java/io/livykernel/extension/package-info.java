/**
 * The small API magics are written against: {@code KernelContext} (the backends, the configuration),
 * {@code RemoteSessions} (the Livy side: sessions, uploads, attach, the platform's caps, the HTTP stack for
 * other services) and {@code MagicSupport}, the ServiceLoader plug-in point. Imports {@code api}, {@code backend}
 * (the interface), {@code config}, {@code http} and {@code policy}; never a backend's internals.
 */
package io.livykernel.extension;
