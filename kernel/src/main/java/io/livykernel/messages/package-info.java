/**
 * Jupyter message types (header, message, the factory for replies) as immutable values, and the project's one
 * Gson instance. Imports nothing else of the project.
 */
package io.livykernel.messages;
