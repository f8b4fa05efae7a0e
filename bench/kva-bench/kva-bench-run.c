// SPDX-License-Identifier: GPL-2.0
/*
 * The program bench/kva-bench.sh runs in each kernel it compares: it loads
 * /kva_bench.ko, whose init prints its figures in the kernel log and fails
 * with EAGAIN, so that it can be loaded again at once. On the base kernel,
 * which has no SVA test device, it loads it once, as "base". On the patched
 * kernel it loads it three times: with no SVA bond ("nobond"), while this
 * process's address space is bound to /dev/iommu_sva_test, whose mock IOMMU
 * walks the CPU page tables ("bond"), and after the unbind ("nobond2"), to
 * show that the cost of the bond goes with it.
 *
 * kva_bench.NAME=VALUE words of the kernel command line are passed to the
 * module as NAME=VALUE, as modprobe would do: the kernel does not pass them
 * to a module loaded later.
 *
 * Built static, against the tree's drivers/iommu/iommu-sva-testdev.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "iommu-sva-testdev.h"

#define MODULE "/kva_bench.ko"
#define DEVICE "/dev/iommu_sva_test"
#define CMDLINE_PREFIX "kva_bench."

/* The module parameters from the command line, each after a space */
static char cmdline_params[1024];

static void read_cmdline_params(void)
{
	size_t len = strlen(CMDLINE_PREFIX), used = 0;
	char word[256];
	FILE *f;

	f = fopen("/proc/cmdline", "r");
	if (!f)
		return;
	while (fscanf(f, "%255s", word) == 1) {
		if (strncmp(word, CMDLINE_PREFIX, len))
			continue;
		used += snprintf(cmdline_params + used, sizeof(cmdline_params) - used,
				 " %s", word + len);
		if (used >= sizeof(cmdline_params)) {
			/* Cut off: pass none rather than a part */
			cmdline_params[0] = '\0';
			break;
		}
	}
	fclose(f);
}

/* Load the module as LABEL: 0 if its init ran to its end */
static int load(const char *label)
{
	char params[sizeof(cmdline_params) + 64];
	int fd, ret, err;

	snprintf(params, sizeof(params), "label=%s%s", label, cmdline_params);
	printf("kva-bench-run: loading " MODULE " %s\n", params);
	fd = open(MODULE, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("kva-bench-run: cannot open " MODULE ": %s\n", strerror(errno));
		return -1;
	}
	/* finit_module(2): what insmod does, without a copy of the module */
	ret = syscall(SYS_finit_module, fd, params, 0);
	err = errno;
	close(fd);
	if (!ret) {
		printf("kva-bench-run: the module stayed loaded: its init should fail\n");
		return -1;
	}
	if (err != EAGAIN) {
		printf("kva-bench-run: loading the module failed: %s (see the kernel log)\n",
		       strerror(err));
		return -1;
	}
	return 0;
}

int main(void)
{
	struct iommu_sva_test_bind bind = { 0 };
	struct iommu_sva_test_stats st;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	read_cmdline_params();

	if (access(DEVICE, F_OK)) {
		printf("kva-bench-run: no " DEVICE ": the base kernel\n");
		return load("base") ? 1 : 0;
	}

	if (load("nobond"))
		return 1;

	fd = open(DEVICE, O_RDWR);
	if (fd < 0) {
		printf("kva-bench-run: cannot open " DEVICE ": %s\n", strerror(errno));
		return 1;
	}
	if (ioctl(fd, IOMMU_SVA_TEST_BIND, &bind)) {
		printf("kva-bench-run: binding this process: %s\n", strerror(errno));
		return 1;
	}
	printf("kva-bench-run: this process is bound to " DEVICE ", PASID %u\n",
	       bind.pasid);
	if (load("bond"))
		return 1;
	if (ioctl(fd, IOMMU_SVA_TEST_GET_STATS, &st)) {
		printf("kva-bench-run: reading the device's counters: %s\n",
		       strerror(errno));
		return 1;
	}
	/* Each is a batch of kernel page-table pages freed after a flush */
	printf("kva-bench-run: while bound, the IOMMU was flushed %llu times for kernel page tables\n",
	       (unsigned long long)st.kva_invalidations);

	if (ioctl(fd, IOMMU_SVA_TEST_UNBIND)) {
		printf("kva-bench-run: unbinding: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	printf("kva-bench-run: unbound\n");
	if (load("nobond2"))
		return 1;

	printf("kva-bench-run: done\n");
	return 0;
}
