// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's program (bench/run demo): a device reads and writes this
 * process's memory by virtual address, through a PASID bound to its address
 * space, the way an SVA device does. The device is the series' test device,
 * /dev/iommu_sva_test, behind a mock IOMMU that walks the process's page
 * tables and caches translations in an IOTLB. Each step says what happened,
 * with the device's counters; the exit status is 1 if anything was not as
 * expected.
 *
 * Built static, against the tree's drivers/iommu/iommu-sva-testdev.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "iommu-sva-testdev.h"

#define DEVICE "/dev/iommu_sva_test"
/* What the kernel shows of its bonds (CONFIG_IOMMU_DEBUGFS) */
#define SVA_DEBUGFS "/sys/kernel/debug/iommu/sva"

static const char device_msg[] = "hello from the device";
static const char cpu_msg[] = "hello from the CPU";
static int unexpected;
static long page_size;

/* expect(COND, WHAT...): say when something is not as it should be */
static void expect(int cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		return;
	unexpected++;
	printf("   UNEXPECTED: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void stats(int fd, struct iommu_sva_test_stats *s)
{
	if (ioctl(fd, IOMMU_SVA_TEST_GET_STATS, s)) {
		printf("IOMMU_SVA_TEST_GET_STATS: %s\n", strerror(errno));
		exit(1);
	}
}

/* The device accesses [addr, addr + len): 0 or an errno */
static int dma(int fd, unsigned int flags, void *addr, void *buf, size_t len)
{
	struct iommu_sva_test_dma cmd = {
		.flags = flags,
		.addr = (uintptr_t)addr,
		.length = len,
		.buffer = (uintptr_t)buf,
	};

	return ioctl(fd, IOMMU_SVA_TEST_DMA, &cmd) ? errno : 0;
}

static const char *state_name(unsigned int state)
{
	switch (state) {
	case IOMMU_SVA_TEST_UNBOUND: return "unbound";
	case IOMMU_SVA_TEST_BOUND: return "bound";
	case IOMMU_SVA_TEST_BLOCKED: return "blocked";
	}
	return "unknown";
}

static int resident(void *addr)
{
	unsigned char vec = 0;

	return !mincore(addr, page_size, &vec) && (vec & 1);
}

#define DELTA(a, b, field) ((unsigned long long)((b).field - (a).field))

/* The forked child: bind its own address space, have the device write in it */
static int child(int fd)
{
	struct iommu_sva_test_bind bind = { 0 };
	char buf[64] = "";

	if (ioctl(fd, IOMMU_SVA_TEST_BIND, &bind))
		return 2;
	if (dma(fd, IOMMU_SVA_TEST_DMA_WRITE, buf, (void *)device_msg,
		sizeof(device_msg)))
		return 3;
	if (strcmp(buf, device_msg))
		return 4;
	/* Exit still bound: the kernel must deal with the bond */
	return 0;
}

/*
 * The lines of SVA_DEBUGFS about the address space of @pasid, indented, in
 * @text: whether there are any
 */
static int debugfs_mm(unsigned int pasid, char *text, size_t size)
{
	char line[256], head[32];
	size_t len = 0;
	int in = 0, found = 0;
	FILE *f;

	text[0] = '\0';
	f = fopen(SVA_DEBUGFS, "r");
	if (!f) {
		snprintf(text, size, "       (" SVA_DEBUGFS ": %s)\n", strerror(errno));
		return 0;
	}
	snprintf(head, sizeof(head), "mm pasid=%#x ", pasid);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "mm ", 3))
			in = !strncmp(line, head, strlen(head));
		if (!in || len + strlen(line) + 8 > size)
			continue;
		found = 1;
		len += sprintf(text + len, "       %s", line);
	}
	fclose(f);
	return found;
}

/* An errno in words */
static const char *why(int err)
{
	static char buf[96];

	if (!err)
		return "it succeeded";
	snprintf(buf, sizeof(buf), "%s%s", strerror(err), err == EFAULT ? " (EFAULT)" : "");
	return buf;
}

int main(void)
{
	struct iommu_sva_test_stats s0, s1;
	struct iommu_sva_test_bind bind = { 0 };
	char buf[64];
	__u32 mm_pasid_before = 0, mm_pasid = 0;
	struct timespec delay = { 0, 10 * 1000 * 1000 };
	int fd, fd2, err, status, i, listed;
	unsigned int cpasid;
	char view[1024];
	char *page;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	page_size = sysconf(_SC_PAGESIZE);
	printf("A device reads and writes this process's memory by virtual address,\n"
	       "through a PASID bound to the process's address space: " DEVICE ",\n"
	       "the series' test device, behind a mock IOMMU that walks the process's\n"
	       "page tables and caches translations in an IOTLB.\n\n");

	fd = open(DEVICE, O_RDWR);
	if (fd < 0) {
		printf("cannot open " DEVICE ": %s (is CONFIG_IOMMU_SVA_TEST on?)\n",
		       strerror(errno));
		return 1;
	}

	/* 1. Bind */
	ioctl(fd, IOMMU_SVA_TEST_MM_PASID, &mm_pasid_before);
	if (ioctl(fd, IOMMU_SVA_TEST_BIND, &bind)) {
		printf("1. Binding the device to this process failed: %s\n", why(errno));
		return 1;
	}
	ioctl(fd, IOMMU_SVA_TEST_MM_PASID, &mm_pasid);
	printf("1. Bind the device to this process: PASID %u.\n"
	       "   The address space had no PASID; now it has PASID %u, which every device\n"
	       "   bound to it shares (and ENQCMD would use).\n", bind.pasid, mm_pasid);
	expect(mm_pasid_before == IOMMU_SVA_TEST_PASID_NONE,
	       "the address space had PASID %u before any bind", mm_pasid_before);
	expect(mm_pasid == bind.pasid, "the address space's PASID is %u", mm_pasid);

	/* 2. The device writes to a page the CPU never touched */
	page = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		printf("mmap: %s\n", strerror(errno));
		return 1;
	}
	printf("2. mmap() a fresh page at %p: the CPU never touches it, no memory\n"
	       "   is behind it yet (resident: %s). The device writes \"%s\" there:\n"
	       "   its IOMMU finds no translation, the device sends an I/O page request,\n"
	       "   and the kernel faults the page in for it.\n",
	       page, resident(page) ? "yes" : "no", device_msg);
	expect(!resident(page), "the page is resident before any access");
	stats(fd, &s0);
	err = dma(fd, IOMMU_SVA_TEST_DMA_WRITE, page, (void *)device_msg,
		  sizeof(device_msg));
	stats(fd, &s1);
	printf("   The write: %s; the page is resident now: %s.\n"
	       "     counters: page requests +%llu (failed +%llu), IOTLB misses +%llu\n",
	       err ? why(err) : "done", resident(page) ? "yes" : "no",
	       DELTA(s0, s1, page_requests), DELTA(s0, s1, page_requests_failed),
	       DELTA(s0, s1, iotlb_misses));
	expect(!err, "the device's write failed");
	expect(DELTA(s0, s1, page_requests) >= 1, "no page request");
	expect(!DELTA(s0, s1, page_requests_failed), "a page request failed");
	expect(resident(page), "the page is not resident");

	/* 3. The CPU reads it */
	printf("3. The CPU reads the page: \"%.*s\".\n", (int)sizeof(device_msg) - 1, page);
	expect(!memcmp(page, device_msg, sizeof(device_msg)),
	       "the CPU does not see what the device wrote");

	/* 4. The CPU writes, the device reads */
	memcpy(page, cpu_msg, sizeof(cpu_msg));
	memset(buf, 0, sizeof(buf));
	stats(fd, &s0);
	err = dma(fd, IOMMU_SVA_TEST_DMA_READ, page, buf, sizeof(cpu_msg));
	stats(fd, &s1);
	printf("4. The CPU writes \"%s\" there; the device reads back: \"%s\".\n"
	       "   The device used the translation cached in its IOTLB.\n"
	       "     counters: IOTLB hits +%llu, misses +%llu, page requests +%llu; entries %u\n",
	       cpu_msg, err ? why(err) : buf, DELTA(s0, s1, iotlb_hits),
	       DELTA(s0, s1, iotlb_misses), DELTA(s0, s1, page_requests),
	       s1.iotlb_entries);
	expect(!err && !strcmp(buf, cpu_msg), "the device did not read what the CPU wrote");
	expect(DELTA(s0, s1, iotlb_hits) >= 1, "the IOTLB did not serve the read");

	/* 5. munmap: the IOMMU must be told */
	stats(fd, &s0);
	munmap(page, page_size);
	stats(fd, &s1);
	printf("5. munmap() the page: the kernel tells the IOMMU to invalidate the range,\n"
	       "   and the IOMMU drops the cached translation.\n"
	       "     counters: invalidations +%llu, translations dropped +%llu; IOTLB entries %u\n",
	       DELTA(s0, s1, invalidations), DELTA(s0, s1, iotlb_invalidated),
	       s1.iotlb_entries);
	expect(DELTA(s0, s1, invalidations) >= 1, "the IOMMU was not told");
	expect(DELTA(s0, s1, iotlb_invalidated) >= 1, "the cached translation stayed");

	/* 6. The address is gone for the device too */
	stats(fd, &s0);
	err = dma(fd, IOMMU_SVA_TEST_DMA_WRITE, page, (void *)device_msg,
		  sizeof(device_msg));
	stats(fd, &s1);
	printf("6. The device writes to the unmapped address: it has no stale translation\n"
	       "   to use, its page request is refused, and the DMA fails: %s.\n"
	       "     counters: IOTLB hits +%llu, page requests failed +%llu\n",
	       why(err), DELTA(s0, s1, iotlb_hits), DELTA(s0, s1, page_requests_failed));
	expect(err == EFAULT, "the DMA did not fail with EFAULT");
	expect(!DELTA(s0, s1, iotlb_hits), "the device used a stale translation");

	/* 7. A child binds a second device and exits still bound */
	fd2 = open(DEVICE, O_RDWR);
	if (fd2 < 0) {
		printf("cannot open a second device: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		printf("fork: %s\n", strerror(errno));
		return 1;
	}
	if (!pid)
		_exit(child(fd2));
	waitpid(pid, &status, 0);
	/* The address space goes with its last user: allow for a late one */
	for (i = 0; i < 100; i++) {
		stats(fd2, &s1);
		if (s1.state != IOMMU_SVA_TEST_BOUND)
			break;
		nanosleep(&delay, NULL);
	}
	printf("7. A forked child, which has an address space of its own, binds a second\n"
	       "   device (PASID %u), has it write into its memory, and exits still bound\n"
	       "   (exit status %d). When the child's address space went away, the kernel\n"
	       "   blocked its PASID and told the driver: the device is %s.\n"
	       "     counters: mm_exit callbacks %llu\n",
	       s1.pasid, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	       state_name(s1.state), (unsigned long long)s1.mm_exits);
	expect(WIFEXITED(status) && !WEXITSTATUS(status),
	       "the child failed (status %#x)", status);
	expect(s1.pasid != bind.pasid, "the child's address space has the parent's PASID");
	expect(s1.state == IOMMU_SVA_TEST_BLOCKED, "the device is not blocked");
	expect(s1.mm_exits == 1, "%llu mm_exit callbacks",
	       (unsigned long long)s1.mm_exits);
	err = dma(fd2, IOMMU_SVA_TEST_DMA_READ, buf, buf, 1);
	printf("   DMA through the blocked PASID fails: %s.\n", why(err));
	expect(err == EFAULT, "the DMA did not fail with EFAULT");
	cpasid = s1.pasid;
	listed = debugfs_mm(cpasid, view, sizeof(view));
	printf("   " SVA_DEBUGFS " still lists the child's address space: no users,\n"
	       "   no process, and its bond blocked, holding the PASID until the file\n"
	       "   that made it unbinds:\n%s", view);
	expect(listed && strstr(view, " users=0 pid=- comm=-\n") &&
	       strstr(view, " state=blocked "), "debugfs does not show a blocked bond");
	err = ioctl(fd2, IOMMU_SVA_TEST_UNBIND) ? errno : 0;
	stats(fd2, &s1);
	listed = debugfs_mm(cpasid, view, sizeof(view));
	printf("   The parent, which shares the device's file, unbinds it: %s; the device\n"
	       "   is %s, and debugfs no longer lists the address space.\n",
	       err ? why(err) : "done", state_name(s1.state));
	expect(!err && s1.state == IOMMU_SVA_TEST_UNBOUND, "the unbind failed");
	expect(!listed, "debugfs still lists the address space");
	close(fd2);

	if (ioctl(fd, IOMMU_SVA_TEST_UNBIND))
		expect(0, "unbinding the first device: %s", strerror(errno));
	close(fd);

	if (unexpected) {
		printf("\n%d thing%s not as expected.\n", unexpected,
		       unexpected == 1 ? " was" : "s were");
		return 1;
	}
	printf("\nAll as expected: the device used the process's own page tables, had the\n"
	       "kernel fault pages in for it, and lost its translations as soon as the\n"
	       "process unmapped its memory or exited.\n");
	return 0;
}
