// SPDX-License-Identifier: GPL-2.0
/*
 * sva-perf: what an SVA bond costs the memory management of the bound
 * process, and what binds and unbinds cost, through /dev/sva_bench
 * (bench/sva-bench/sva_bench.c: two mock IOMMU instances of eight devices,
 * built for 7.3's SVA API or for the SVA core's). A benchmark, not a test:
 * it prints figures and judges none.
 *
 *	sva-perf [-r ROUNDS] [-i ITERS]
 *
 * The words sva_perf.rounds=ROUNDS and sva_perf.iters=ITERS of the kernel's
 * command line set them too, for bench/perf.sh, whose initramfs runs the
 * program without arguments; the options win.
 *
 * For each topology (the devices this process binds: none, 1dev-1inst = 0,
 * 2dev-1inst = 0 1, 2dev-2inst = 0 8, 8dev-1inst = 0-7, 8dev-2inst = 0-3
 * 8-11), it binds the devices and runs each case ROUNDS times (7, at most
 * 31), a round being ITERS operations (200), then unbinds them:
 *
 *  munmap-4k	munmap() of a touched 4 KiB anonymous mapping
 *  munmap-2m	munmap() of a 2 MiB one, each of its 512 pages touched
 *  munmap-1g	munmap() of a 1 GiB one, one page per 2 MiB touched;
 *		ITERS / 50 operations per round, at least one
 *  mprotect-4k	mprotect() of a touched page, PROT_READ and back
 *  cow-4k	a write to a page shared with a forked child, which sleeps:
 *		the copy-on-write fault in the bound parent
 *
 * Only the munmap() calls are timed: the mappings, each between two
 * PROT_NONE neighbours so that none merges or splits another, are made and
 * touched before, in batches of up to 32 MiB (with MADV_NOHUGEPAGE, where
 * the kernel has THP: 4 KiB pages). Likewise only the writes of cow-4k and
 * the mprotect() calls are timed.
 *
 * Under "none", the binds: bind-first is the first bind of an address
 * space (dev 0), in a child forked for each operation, ITERS / 10 of them
 * per round, at least one; bind-again and unbind-last bind dev 0 and unbind
 * it, the address space having been bound before but having no bond.
 * Under "1dev-1inst" (dev 0 bound): bind-next-same-inst and
 * unbind-next-same-inst bind and unbind dev 1, bind-next-other-inst and
 * unbind-next-other-inst dev 8. Only the ioctl is timed.
 *
 * Each line is
 *
 *	sva-perf: <topology> <case> <ns_per_op> <inv_calls_per_op> <flushes_per_op>
 *
 * the median round's time per operation (CLOCK_MONOTONIC), and the mock
 * IOMMUs' invalidation calls and IOTLB/ATC flushes (SVA_BENCH_COUNTS, read
 * around the timed parts only) per operation over all rounds. Other lines
 * start with "sva-bench:" (the API, the kernel-range invalidations); errors
 * go to stderr, with exit status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sva-bench.h"

#define DEV_PATH	"/dev/sva_bench"
#define MAX_ROUNDS	31
#define MAX_CASES	2
#define SZ_2M		(2UL << 20)
#define SZ_1G		(512 * SZ_2M)
/* What the mappings of one batch may touch */
#define BATCH_BYTES	(32UL << 20)

static unsigned int rounds = 7;
static unsigned int iters = 200;
static size_t page;
static int fd = -1;

/* What the timed parts of a case took: this round's time, all rounds' counts */
struct acc {
	__u64 ns;
	__u64 inv;
	__u64 flushes;
	__u64 kva;
};

struct span {
	struct sva_bench_counts c;
	__u64 t;
};

static void die(const char *what)
{
	fprintf(stderr, "sva-perf: %s: %s\n", what, strerror(errno));
	exit(1);
}

static __u64 now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime");
	return (__u64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void get_counts(struct sva_bench_counts *c)
{
	if (ioctl(fd, SVA_BENCH_COUNTS, c))
		die("SVA_BENCH_COUNTS");
}

static void span_begin(struct span *s)
{
	get_counts(&s->c);
	s->t = now();
}

static void span_end(const struct span *s, struct acc *a)
{
	__u64 t = now();
	struct sva_bench_counts c;

	get_counts(&c);
	a->ns += t - s->t;
	a->inv += c.inv_calls - s->c.inv_calls;
	a->flushes += c.flushes - s->c.flushes;
	a->kva += c.kva_calls - s->c.kva_calls;
}

static void bind_dev(unsigned int dev)
{
	struct sva_bench_bind b = { .dev = dev };

	if (ioctl(fd, SVA_BENCH_BIND, &b))
		die("SVA_BENCH_BIND");
}

static void unbind_dev(unsigned int dev)
{
	__u32 d = dev;

	if (ioctl(fd, SVA_BENCH_UNBIND, &d))
		die("SVA_BENCH_UNBIND");
}

static void *map(void *addr, size_t size, int prot, int flags)
{
	void *p = mmap(addr, size, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	/* 4 KiB pages; EINVAL without THP */
	if (prot != PROT_NONE && madvise(p, size, MADV_NOHUGEPAGE) && errno != EINVAL)
		die("madvise");
	return p;
}

static void unmap(void *p, size_t size)
{
	if (munmap(p, size))
		die("munmap");
}

/*
 * Plain stores: the mapping came from mmap() and goes to munmap(), and the
 * calls in between (clock_gettime(), ioctl()) may read it, so the compiler
 * must make them, and before those calls.
 */
static void touch(char *p, size_t size, size_t stride, char val)
{
	size_t off;

	for (off = 0; off < size; off += stride)
		p[off] = val;
}

/* n munmap() of @size mappings, each touched every @stride bytes */
static void munmap_ops(size_t size, size_t stride, unsigned int n, struct acc *a)
{
	size_t batch = BATCH_BYTES / (size / stride * page);
	size_t i, nb, span_size;
	struct span s;
	char *res, *base;

	if (batch < 1)
		batch = 1;
	while (n) {
		nb = n < batch ? n : batch;
		n -= nb;
		/* Every other slot, 2 MiB aligned, between PROT_NONE ones */
		span_size = (2 * nb + 2) * size + SZ_2M;
		res = map(NULL, span_size, PROT_NONE, MAP_NORESERVE);
		base = (char *)(((uintptr_t)res + SZ_2M - 1) & ~(SZ_2M - 1)) + size;
		for (i = 0; i < nb; i++) {
			map(base + 2 * i * size, size, PROT_READ | PROT_WRITE,
			    MAP_FIXED | MAP_NORESERVE);
			touch(base + 2 * i * size, size, stride, 1);
		}
		span_begin(&s);
		for (i = 0; i < nb; i++)
			if (munmap(base + 2 * i * size, size))
				die("munmap");
		span_end(&s, a);
		unmap(res, span_size);
	}
}

static void munmap_4k(unsigned int n, struct acc *a)
{
	munmap_ops(page, page, n, a);
}

static void munmap_2m(unsigned int n, struct acc *a)
{
	munmap_ops(SZ_2M, page, n, a);
}

static void munmap_1g(unsigned int n, struct acc *a)
{
	munmap_ops(SZ_1G, SZ_2M, n, a);
}

static void mprotect_4k(unsigned int n, struct acc *a)
{
	char *p = map(NULL, page, PROT_READ | PROT_WRITE, 0);
	struct span s;
	unsigned int i;

	touch(p, page, page, 1);
	span_begin(&s);
	for (i = 0; i < n; i++)
		if (mprotect(p, page, i & 1 ? PROT_READ | PROT_WRITE : PROT_READ))
			die("mprotect");
	span_end(&s, a);
	unmap(p, page);
}

/* The parent, whose address space is the bound one, does the writes */
static void cow_4k(unsigned int n, struct acc *a)
{
	size_t size = (size_t)n * page;
	char *p = map(NULL, size, PROT_READ | PROT_WRITE, 0);
	struct span s;
	pid_t child;

	touch(p, size, page, 1);
	child = fork();
	if (child < 0)
		die("fork");
	if (!child)
		for (;;)
			pause();
	span_begin(&s);
	touch(p, size, page, 2);
	span_end(&s, a);
	if (kill(child, SIGKILL) || waitpid(child, NULL, 0) != child)
		die("kill");
	unmap(p, size);
}

/* In a new child each time: a fresh address space, bound for the first time */
static void bind_first(unsigned int n, struct acc *a)
{
	struct acc ca;
	unsigned int i;
	struct span s;
	int pipefd[2], status;
	pid_t child;

	for (i = 0; i < n; i++) {
		if (pipe(pipefd))
			die("pipe");
		child = fork();
		if (child < 0)
			die("fork");
		if (!child) {
			memset(&ca, 0, sizeof(ca));
			fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
			if (fd < 0)
				die("open " DEV_PATH);
			span_begin(&s);
			bind_dev(0);
			span_end(&s, &ca);
			unbind_dev(0);
			if (write(pipefd[1], &ca, sizeof(ca)) != (ssize_t)sizeof(ca))
				die("write");
			_exit(0);
		}
		close(pipefd[1]);
		if (read(pipefd[0], &ca, sizeof(ca)) != (ssize_t)sizeof(ca))
			die("read from the bind-first child");
		close(pipefd[0]);
		if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			die("the bind-first child");
		a->ns += ca.ns;
		a->inv += ca.inv;
		a->flushes += ca.flushes;
		a->kva += ca.kva;
	}
}

/* a[0]: bind of @dev, a[1]: its unbind */
static void bind_unbind(unsigned int dev, unsigned int n, struct acc *a)
{
	unsigned int i;
	struct span s;

	for (i = 0; i < n; i++) {
		span_begin(&s);
		bind_dev(dev);
		span_end(&s, &a[0]);
		span_begin(&s);
		unbind_dev(dev);
		span_end(&s, &a[1]);
	}
}

static void bind_unbind_0(unsigned int n, struct acc *a)
{
	bind_unbind(0, n, a);
}

static void bind_unbind_1(unsigned int n, struct acc *a)
{
	bind_unbind(1, n, a);
}

static void bind_unbind_8(unsigned int n, struct acc *a)
{
	bind_unbind(8, n, a);
}

/*
 * A case function times @n operations into acc[0] (and, for those that
 * time two, acc[1]): one line each, under the names @names.
 */
struct bench {
	const char *names[MAX_CASES];
	void (*fn)(unsigned int n, struct acc *a);
	/* Operations per round: ITERS / @div, at least one */
	unsigned int div;
};

static const struct bench mem_cases[] = {
	{ { "munmap-4k" }, munmap_4k, 1 },
	{ { "munmap-2m" }, munmap_2m, 1 },
	{ { "munmap-1g" }, munmap_1g, 50 },
	{ { "mprotect-4k" }, mprotect_4k, 1 },
	{ { "cow-4k" }, cow_4k, 1 },
	{ },
};

static const struct bench first_cases[] = {
	{ { "bind-first" }, bind_first, 10 },
	{ { "bind-again", "unbind-last" }, bind_unbind_0, 1 },
	{ },
};

static const struct bench next_cases[] = {
	{ { "bind-next-same-inst", "unbind-next-same-inst" }, bind_unbind_1, 1 },
	{ { "bind-next-other-inst", "unbind-next-other-inst" }, bind_unbind_8, 1 },
	{ },
};

struct topology {
	const char *name;
	unsigned int nr_devs;
	unsigned int devs[8];
	const struct bench *bind_cases;
};

static const struct topology topologies[] = {
	{ .name = "none", .bind_cases = first_cases },
	{ .name = "1dev-1inst", .nr_devs = 1, .devs = { 0 },
	  .bind_cases = next_cases },
	{ .name = "2dev-1inst", .nr_devs = 2, .devs = { 0, 1 } },
	{ .name = "2dev-2inst", .nr_devs = 2, .devs = { 0, 8 } },
	{ .name = "8dev-1inst", .nr_devs = 8, .devs = { 0, 1, 2, 3, 4, 5, 6, 7 } },
	{ .name = "8dev-2inst", .nr_devs = 8,
	  .devs = { 0, 1, 2, 3, 8, 9, 10, 11 } },
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static __u64 total_kva;

static void run(const char *topo, const struct bench *b)
{
	unsigned int n = iters / b->div ? iters / b->div : 1;
	double per_op[MAX_CASES][MAX_ROUNDS], median, ops;
	struct acc a[MAX_CASES];
	unsigned int r, c;

	memset(a, 0, sizeof(a));
	for (r = 0; r < rounds; r++) {
		for (c = 0; c < MAX_CASES; c++)
			a[c].ns = 0;
		b->fn(n, a);
		for (c = 0; c < MAX_CASES; c++)
			per_op[c][r] = (double)a[c].ns / n;
	}
	ops = (double)rounds * n;
	for (c = 0; c < MAX_CASES && b->names[c]; c++) {
		qsort(per_op[c], rounds, sizeof(double), cmp_double);
		median = rounds % 2 ? per_op[c][rounds / 2] :
			 (per_op[c][rounds / 2 - 1] + per_op[c][rounds / 2]) / 2;
		printf("sva-perf: %s %s %.0f %.2f %.2f\n", topo, b->names[c],
		       median, a[c].inv / ops, a[c].flushes / ops);
		fflush(stdout);
		total_kva += a[c].kva;
	}
}

static unsigned int parse(const char *s, unsigned int min, unsigned int max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		fprintf(stderr, "sva-perf: %s: not a number from %u to %u\n",
			s, min, max);
		exit(1);
	}
	return v;
}

/* sva_perf.rounds= and sva_perf.iters= on the kernel's command line */
static void read_cmdline(void)
{
	char word[256];
	FILE *f;

	f = fopen("/proc/cmdline", "r");
	if (!f)
		return;
	while (fscanf(f, "%255s", word) == 1) {
		if (!strncmp(word, "sva_perf.rounds=", 16))
			rounds = parse(word + 16, 1, MAX_ROUNDS);
		else if (!strncmp(word, "sva_perf.iters=", 15))
			iters = parse(word + 15, 1, 1000000);
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	const struct topology *t;
	struct sva_bench_info info;
	const struct bench *b;
	unsigned int i;
	int opt;

	read_cmdline();
	while ((opt = getopt(argc, argv, "r:i:")) != -1) {
		switch (opt) {
		case 'r':
			rounds = parse(optarg, 1, MAX_ROUNDS);
			break;
		case 'i':
			iters = parse(optarg, 1, 1000000);
			break;
		default:
			fprintf(stderr, "usage: sva-perf [-r ROUNDS] [-i ITERS]\n");
			return 1;
		}
	}
	page = sysconf(_SC_PAGESIZE);

	fd = open(DEV_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open " DEV_PATH);
	if (ioctl(fd, SVA_BENCH_INFO, &info))
		die("SVA_BENCH_INFO");
	info.api[sizeof(info.api) - 1] = '\0';
	if (info.instances != SVA_BENCH_INSTANCES ||
	    info.devices_per_instance != SVA_BENCH_DEVS_PER_INSTANCE) {
		fprintf(stderr, "sva-perf: the module has %u instances of %u devices\n",
			info.instances, info.devices_per_instance);
		return 1;
	}
	printf("sva-bench: api %s, %u instances of %u devices, %u rounds of %u operations\n",
	       info.api, info.instances, info.devices_per_instance, rounds, iters);
	fflush(stdout);

	for (t = topologies; t < topologies + sizeof(topologies) / sizeof(*t); t++) {
		for (i = 0; i < t->nr_devs; i++)
			bind_dev(t->devs[i]);
		for (b = mem_cases; b->fn; b++)
			run(t->name, b);
		if (t->bind_cases == first_cases) {
			/* bind-again: the address space has had a bond */
			bind_dev(0);
			unbind_dev(0);
		}
		for (b = t->bind_cases; b && b->fn; b++)
			run(t->name, b);
		for (i = 0; i < t->nr_devs; i++)
			unbind_dev(t->devs[i]);
	}
	printf("sva-bench: kernel-range invalidations during the timed parts: %llu\n",
	       (unsigned long long)total_kva);
	close(fd);
	return 0;
}
