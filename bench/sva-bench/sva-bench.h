/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The ioctls of /dev/sva_bench, the misc device of bench/sva-bench's
 * sva_bench.ko, shared with bench/sva-bench/sva-perf.c. Each is issued on
 * a file of /dev/sva_bench; every field is one of the structure's, and
 * every ioctl returns 0 or -1 with errno set.
 *
 * SVA_BENCH_INFO: the mock IOMMU instances, their devices, and the kernel's
 * SVA API the module was built for: "7.3" (one SVA domain and mmu_notifier
 * per mm and IOMMU instance, made by the IOMMU driver) or "core" (one
 * mmu_notifier per mm, the SVA core's, calling the driver's SVA ops).
 *
 * SVA_BENCH_BIND: bind the caller's address space to device @dev (0 to
 * SVA_BENCH_DEVICES - 1; device d is behind instance
 * d / SVA_BENCH_DEVS_PER_INSTANCE) with iommu_sva_bind_device(), and return
 * its PASID in @pasid. The file holds the bond: EBUSY if it already holds
 * one of @dev, EINVAL for a device that does not exist, or the bind's error.
 *
 * SVA_BENCH_UNBIND: end the file's bond of device *arg, whatever process
 * made it: ENOENT if there is none. Closing the file ends those left.
 *
 * SVA_BENCH_COUNTS: what the mock IOMMUs did since the module was loaded,
 * summed over the instances; the counters never go back, read deltas.
 */
#ifndef _SVA_BENCH_H
#define _SVA_BENCH_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SVA_BENCH_INSTANCES		2
#define SVA_BENCH_DEVS_PER_INSTANCE	8
#define SVA_BENCH_DEVICES \
	(SVA_BENCH_INSTANCES * SVA_BENCH_DEVS_PER_INSTANCE)

/**
 * struct sva_bench_info - SVA_BENCH_INFO
 * @instances: SVA_BENCH_INSTANCES
 * @devices_per_instance: SVA_BENCH_DEVS_PER_INSTANCE
 * @api: "7.3" or "core", NUL-terminated
 */
struct sva_bench_info {
	__u32 instances;
	__u32 devices_per_instance;
	char api[8];
};

/**
 * struct sva_bench_bind - SVA_BENCH_BIND
 * @dev: in, the device
 * @pasid: out, the PASID of the bond
 */
struct sva_bench_bind {
	__u32 dev;
	__u32 pasid;
};

/**
 * struct sva_bench_counts - SVA_BENCH_COUNTS
 * @inv_calls: invalidations of user address ranges the IOMMU driver was
 *             asked for: the SVA domains' notifier callback (7.3), the
 *             invalidate_mm op (core)
 * @flushes: flushes of an IOTLB or of a device's ATC the mock IOMMUs did
 *           for them, and for @kva_calls (see sva_bench.c for the model)
 * @kva_calls: invalidations of kernel page-table ranges: the notifier
 *             callback with a kernel range (7.3), the invalidate_kva op
 *             (core)
 */
struct sva_bench_counts {
	__u64 inv_calls;
	__u64 flushes;
	__u64 kva_calls;
};

#define SVA_BENCH_TYPE		0xB5
#define SVA_BENCH_INFO		_IOR(SVA_BENCH_TYPE, 0, struct sva_bench_info)
#define SVA_BENCH_BIND		_IOWR(SVA_BENCH_TYPE, 1, struct sva_bench_bind)
#define SVA_BENCH_UNBIND	_IOW(SVA_BENCH_TYPE, 2, __u32)
#define SVA_BENCH_COUNTS	_IOR(SVA_BENCH_TYPE, 3, struct sva_bench_counts)

#endif /* _SVA_BENCH_H */
