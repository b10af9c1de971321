/** The kernel's version ({@code Version}, filled in by the build); every layer lives in a sub-package. */
package io.livykernel;
