/**
 * The configuration: our JSON file and sparkmagic's, the environment ({@code LIVY_URL} and friends), merging of
 * session settings and conda environments. Imports only {@code messages} (Gson).
 */
package io.livykernel.config;
