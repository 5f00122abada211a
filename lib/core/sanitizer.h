/* SPDX-License-Identifier: MIT */
#ifndef KMV_CORE_SANITIZER_H
#define KMV_CORE_SANITIZER_H

/*
 * KMV_UNDER_ASAN is defined in AddressSanitizer builds (gcc defines
 * __SANITIZE_ADDRESS__, clang answers __has_feature).  Code that hands
 * buffers to uninstrumented libraries (libsodium, zlib) uses it to add
 * the bounds checks ASan cannot make itself: ASan only sees writes made
 * by instrumented code, never the ones inside a system library.
 */
#if defined(__SANITIZE_ADDRESS__)
#define KMV_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KMV_UNDER_ASAN 1
#endif
#endif

#endif
