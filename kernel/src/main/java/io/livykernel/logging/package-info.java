/** The kernel's log set-up (stderr, level from LIVY_KERNEL_LOG_LEVEL) and a rate limit for noisy warnings. */
package io.livykernel.logging;
