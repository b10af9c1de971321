/**
 * How Livy sessions and statement outputs are shown in the notebook, as text and HTML: a session's start line
 * and summary ({@code SessionViews}) and a finished statement's output or error ({@code LivyOutputs}). Imports
 * {@code api}, {@code messages} and the records of {@code backend.livy.rest}; never the session layer
 * ({@code backend.livy}), which uses it.
 */
package io.livykernel.backend.livy.view;
