/**
 * The magics, a ServiceLoader plug-in of the kernel: a parser and dispatcher, and one small command object per
 * magic; the Python they send lives in {@code python/*.py} resources beside them. They see the cell API
 * ({@code api}), the extension API ({@code extension}), the configuration and platform policy, the HTTP stack,
 * the analyser and the backend interface; never the Jupyter server, the protocol or a backend's internals (checked
 * by {@code PackageRulesTest}).
 */
package io.livykernel.magic;
