// SPDX-License-Identifier: GPL-2.0
/*
 * kva_bench: what allocating and freeing kernel virtual address space costs,
 * for bench/perf.sh, which compares the base kernel with the patched
 * one, with and without an SVA bond. While a bond exists on an IOMMU that
 * walks the CPU page tables, the patched kernel flushes the IOMMUs and defers
 * the freeing of each kernel page-table page, as the IOMMU may still be
 * walking it.
 *
 * On x86_64, vmalloc and ioremap free such a page when a 2 MiB mapping takes
 * a PMD entry that points to a PTE table (pmd_free_pte_page()): the
 * *-pte-to-pmd cases make that happen once per operation. The others are
 * plain allocations, which free none (but for the few PTE tables that the
 * first 2 MiB ones may find where an earlier case left them): the cost of
 * the patch when it has next to nothing to defer.
 *
 * Each case is timed as @rounds rounds of @iters operations, an operation
 * being an allocation and its free (two of them in the *-pte-to-pmd cases:
 * 4 KiB pages, then a 2 MiB page); the median round is printed in ns per
 * operation, one line per case:
 *
 *	kva_bench: <label> <case> <ns_per_op> <ptfree>
 *
 * <ptfree> is, for the *-pte-to-pmd cases, how many of their timed
 * operations had their 2 MiB mapping replace a PTE table, as "<n>/<ops>",
 * and "-" for the others.
 *
 * The init then fails with -EAGAIN: nothing stays loaded, so that the module
 * can be loaded again at once, with another label, without rmmod.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>
#include <asm/processor.h>

static char *label = "kva";
module_param(label, charp, 0444);
MODULE_PARM_DESC(label, "Name of the run, printed in each result line");

#define MAX_ROUNDS 31
static unsigned int rounds = 7;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "Timed rounds per case, of which the median is printed (1 to 31)");

static unsigned int iters = 1000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "Operations per round");

/* 2 MiB aligned, and 4 MiB of it not RAM: what the ioremap cases map */
static phys_addr_t io_phys;

/* An operation returns -errno, or 1 if its 2 MiB mapping replaced a PTE table */
struct kva_case {
	const char *name;
	int (*op)(void);
	bool frees_pt;
};

static int vmalloc_4k(void)
{
	void *p = vmalloc(SZ_4K);

	if (!p)
		return -ENOMEM;
	vfree(p);
	return 0;
}

/* With 4 KiB pages: plain vmalloc() never maps huge pages */
static int vmalloc_2m(void)
{
	void *p = vmalloc(SZ_2M);

	if (!p)
		return -ENOMEM;
	vfree(p);
	return 0;
}

static int vmalloc_huge_2m(void)
{
	void *p = vmalloc_huge(SZ_2M, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	vfree(p);
	return 0;
}

static int ioremap_4k(void)
{
	void __iomem *p = ioremap(io_phys, SZ_4K);

	if (!p)
		return -ENOMEM;
	iounmap(p);
	return 0;
}

/* Aligned both ways: one PMD entry */
static int ioremap_2m(void)
{
	void __iomem *p = ioremap(io_phys, SZ_2M);

	if (!p)
		return -ENOMEM;
	iounmap(p);
	return 0;
}

/*
 * Is the mapping at @huge a 2 MiB one, in the PMD entry where the 4 KiB
 * mapping of [@small, @small + 2 MiB) put a PTE table? Unmapping leaves the
 * table in place, so the huge mapping must have freed it.
 */
static bool replaced_pte_table(unsigned long small, unsigned long huge)
{
	unsigned int level;

	return small < huge + SZ_2M && huge < small + SZ_2M &&
	       lookup_address(huge, &level) && level == PG_LEVEL_2M;
}

/*
 * vmalloc() 2 MiB with 4 KiB pages, then vmalloc_huge() 2 MiB. The latter
 * takes the lowest free 2 MiB aligned range, which the former, taking the
 * lowest free range, overlaps unless a lower hole could hold it: the
 * <ptfree> count tells. vm_unmap_aliases() purges the lazily freed ranges,
 * so that they can be used again at once.
 */
static int vmalloc_pte_to_pmd(void)
{
	unsigned long small;
	void *p;
	int ret;

	p = vmalloc(SZ_2M);
	if (!p)
		return -ENOMEM;
	small = (unsigned long)p;
	vfree(p);
	vm_unmap_aliases();

	p = vmalloc_huge(SZ_2M, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	ret = replaced_pte_table(small, (unsigned long)p);
	vfree(p);
	vm_unmap_aliases();
	return ret;
}

/*
 * ioremap() 2 MiB a page off the 2 MiB alignment, which takes 4 KiB pages,
 * then 2 MiB aligned, which takes a PMD entry. Both ask for the same size,
 * hence the same 2 MiB aligned range: the huge mapping frees the PTE table
 * of the first one every time.
 */
static int ioremap_pte_to_pmd(void)
{
	unsigned long small;
	void __iomem *p;
	int ret;

	p = ioremap(io_phys + PAGE_SIZE, SZ_2M);
	if (!p)
		return -ENOMEM;
	small = (__force unsigned long)p;
	iounmap(p);
	vm_unmap_aliases();

	p = ioremap(io_phys, SZ_2M);
	if (!p)
		return -ENOMEM;
	ret = replaced_pte_table(small, (__force unsigned long)p);
	iounmap(p);
	vm_unmap_aliases();
	return ret;
}

static const struct kva_case cases[] = {
	{ "vmalloc-4k", vmalloc_4k },
	{ "vmalloc-2m", vmalloc_2m },
	{ "vmalloc-huge-2m", vmalloc_huge_2m },
	{ "ioremap-4k", ioremap_4k },
	{ "ioremap-2m", ioremap_2m },
	{ "vmalloc-pte-to-pmd", vmalloc_pte_to_pmd, true },
	{ "ioremap-pte-to-pmd", ioremap_pte_to_pmd, true },
};

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int run_case(const struct kva_case *c)
{
	unsigned long freed = 0;
	unsigned int r, i;
	u64 ns[MAX_ROUNDS], t0;
	int ret;

	/* Start with no lazily freed range left by the case before */
	vm_unmap_aliases();
	for (r = 0; r < rounds; r++) {
		t0 = ktime_get_ns();
		for (i = 0; i < iters; i++) {
			ret = c->op();
			if (ret < 0) {
				pr_err("%s %s: an allocation failed\n", label, c->name);
				return ret;
			}
			freed += ret;
			/* Long rounds on a kernel without preemption */
			cond_resched();
		}
		ns[r] = div_u64(ktime_get_ns() - t0, iters);
	}
	sort(ns, rounds, sizeof(ns[0]), cmp_u64, NULL);
	if (c->frees_pt)
		pr_info("%s %s %llu %lu/%lu\n", label, c->name, ns[rounds / 2],
			freed, (unsigned long)rounds * iters);
	else
		pr_info("%s %s %llu -\n", label, c->name, ns[rounds / 2]);
	return 0;
}

/*
 * Physical addresses that no RAM and, in QEMU, no device is at: 1 GiB above
 * both the end of RAM and the 32-bit PCI hole. They are never accessed.
 */
static int find_io_phys(void)
{
	phys_addr_t ram_end = __pa(high_memory - 1) + 1;

	io_phys = round_up(max_t(phys_addr_t, ram_end, SZ_4G), SZ_1G) + SZ_1G;
	if (io_phys + SZ_4M > 1ULL << boot_cpu_data.x86_phys_bits ||
	    region_intersects(io_phys, SZ_4M, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		pr_err("%s: no physical range for ioremap at %pa\n", label, &io_phys);
		return -ENXIO;
	}
	return 0;
}

static int __init kva_bench_init(void)
{
	unsigned int i;
	int ret;

	if (!rounds || rounds > MAX_ROUNDS || !iters)
		return -EINVAL;
	ret = find_io_phys();
	if (ret)
		return ret;
	pr_info("%s: %u rounds of %u operations per case, ioremap at %pa\n",
		label, rounds, iters, &io_phys);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = run_case(&cases[i]);
		if (ret)
			return ret;
	}
	return -EAGAIN;
}
module_init(kva_bench_init);

MODULE_DESCRIPTION("Benchmark of vmalloc and ioremap, with page-table page frees");
MODULE_LICENSE("GPL");
