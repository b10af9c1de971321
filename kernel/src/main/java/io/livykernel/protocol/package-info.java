/**
 * Transport: the five ZeroMQ channels over JeroMQ (ipc bridged through real unix sockets), wire framing,
 * HMAC signing with replay refusal, and the heartbeat. Imports only {@code messages}; nothing above it sees a
 * frame.
 */
package io.livykernel.protocol;
