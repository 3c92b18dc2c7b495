/* fuzz_util.h - what the fuzz entry points share: the libFuzzer prototype
 * and an in-memory file with a path, for the loaders that take a path.
 * Not part of any library; built only with -Dfuzz=enabled. */
#ifndef VFE_FUZZ_UTIL_H
#define VFE_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A memfd holding data; path receives "/proc/self/fd/N". Returns the fd
 * (close it when done) or -1. The memfd never touches a disk and needs no
 * clean-up if the fuzzer dies. */
static inline int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t cap)
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	snprintf(path, cap, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
