// SPDX-License-Identifier: GPL-2.0
/*
 * A program bench/perf.sh runs in each kernel it compares: it loads
 * /kva_bench.ko, whose init prints its figures in the kernel log and fails
 * with EAGAIN, so that it can be loaded again at once. It loads it three
 * times: with no SVA bond ("nobond"), while this process's address space is
 * bound to a device of /dev/sva_bench, whose mock IOMMU walks the CPU page
 * tables as VT-d and AMD do ("bond"), and after the unbind ("nobond2"), to
 * show that the cost of the bond goes with it. /sva_bench.ko, loaded first,
 * is built for the kernel's SVA API, 7.3's or the series'.
 *
 * kva_bench.NAME=VALUE words of the kernel command line are passed to the
 * module as NAME=VALUE, as modprobe would do: the kernel does not pass them
 * to a module loaded later.
 *
 * Built static, against bench/sva-bench/sva-bench.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sva-bench.h"

#define MODULE "/kva_bench.ko"
#define DEVICE "/dev/sva_bench"
#define SVA_MODULE "/sva_bench.ko"
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

/* Load /sva_bench.ko for good: its init makes /dev/sva_bench */
static int load_sva_bench(void)
{
	int fd, ret;

	fd = open(SVA_MODULE, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("kva-bench-run: cannot open " SVA_MODULE ": %s\n",
		       strerror(errno));
		return -1;
	}
	ret = syscall(SYS_finit_module, fd, "", 0);
	if (ret && errno != EEXIST)
		printf("kva-bench-run: loading " SVA_MODULE " failed: %s\n",
		       strerror(errno));
	close(fd);
	return ret && errno != EEXIST ? -1 : 0;
}

int main(void)
{
	struct sva_bench_counts before, after;
	struct sva_bench_bind bind = { 0 };
	__u32 dev = 0;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	read_cmdline_params();

	if (load_sva_bench() || load("nobond"))
		return 1;

	fd = open(DEVICE, O_RDWR);
	if (fd < 0) {
		printf("kva-bench-run: cannot open " DEVICE ": %s\n", strerror(errno));
		return 1;
	}
	bind.dev = dev;
	if (ioctl(fd, SVA_BENCH_BIND, &bind)) {
		printf("kva-bench-run: binding this process: %s\n", strerror(errno));
		return 1;
	}
	printf("kva-bench-run: this process is bound to " DEVICE " device %u, PASID %u\n",
	       dev, bind.pasid);
	if (ioctl(fd, SVA_BENCH_COUNTS, &before) || load("bond") ||
	    ioctl(fd, SVA_BENCH_COUNTS, &after)) {
		printf("kva-bench-run: while bound: %s\n", strerror(errno));
		return 1;
	}
	printf("kva-bench-run: while bound, the IOMMUs flushed kernel page tables %llu times\n",
	       (unsigned long long)(after.kva_calls - before.kva_calls));

	if (ioctl(fd, SVA_BENCH_UNBIND, &dev)) {
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
