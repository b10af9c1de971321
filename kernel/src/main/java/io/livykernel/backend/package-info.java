/**
 * The {@code Backend} interface a cell runs on (execute, complete, inspect, interrupt, close) and the backend that
 * only explains why none is usable. Implementations live in {@code backend.livy} and {@code backend.local}; this
 * package imports only {@code api}.
 */
package io.livykernel.backend;
