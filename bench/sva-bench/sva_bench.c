// SPDX-License-Identifier: GPL-2.0
/*
 * sva_bench: what SVA costs the memory management of a bound process, and
 * binds and unbinds, with 7.3's SVA design and with the SVA core's, on mock
 * IOMMUs that do the same minimal work in both. A benchmark only: it judges
 * nothing. bench/sva-bench/sva-perf.c drives it through /dev/sva_bench,
 * whose ioctls sva-bench.h describes.
 *
 * Two mock IOMMU instances, each registered with iommu_device_register_bus()
 * on a bus of its own, have SVA_BENCH_DEVS_PER_INSTANCE PASID-capable
 * devices each, added with iommu_mock_device_add(): devices 0-7 are behind
 * instance 0, 8-15 behind instance 1. Each device is alone in its IOMMU
 * group, and its default and blocked domain is a static blocking domain.
 *
 * The Makefile picks the API of the kernel the module is built against:
 *
 * 7.3 (the base): the IOMMU driver allocates an SVA domain per mm and
 * instance (domain_alloc_sva), which registers its own mmu_notifier on the
 * mm, as VT-d and SMMUv3 do. The core reuses a domain of the mm for another
 * device if set_dev_pasid accepts it: the mock refuses with -EINVAL a
 * domain of another instance, as SMMUv3 does, so an mm bound on both
 * instances has two domains and two notifiers. set_dev_pasid puts the
 * device on the domain's list; the blocking domain's set_dev_pasid, which
 * iommu_detach_device_pasid() calls, takes it off. The domain is freed with
 * mmu_notifier_put(), and its memory in the notifier's free_notifier.
 *
 * core (the patched kernel): the SVA core owns one mmu_notifier per mm and
 * calls the driver's SVA ops. The mock keeps, for each (mm, instance), a
 * struct sb_sva_iommu embedding the core's struct iommu_sva_iommu
 * (sva_iommu_alloc/sva_iommu_free), with the list of its devices bound to
 * the mm: bind_mm puts the device on it, block_mm takes it off, unbind_mm
 * has nothing left to do. The mock has invalidate_kva, as VT-d and AMD,
 * whose IOMMUs walk the kernel's part of the CPU page tables too: while it
 * has a bond, the kernel defers its page-table frees and flushes it for the
 * ranges freed, once per bound mm. 7.3 flushes every bound mm for kernel
 * page-table frees whatever its IOMMU, through the mm's notifiers.
 *
 * The flush model, the same in both: a flush of an IOTLB or of a device's
 * ATC is one atomic64 increment of the instance's counter, with nothing
 * behind it. The devices are found on an RCU list in both.
 *
 *  - 7.3: each call of the notifier's callback, once per domain (that is,
 *    per mm and instance) and range, flushes the instance's IOTLB once for
 *    the domain and the ATC of each device attached to it: 1 + N flushes,
 *    as 7.3's VT-d (its cache tags) and SMMUv3 (the domain's ASID, then its
 *    masters' ATCs) do; 7.3's AMD flushed the IOTLB once per device, which
 *    the mock does not copy, so that the two columns differ only where the
 *    designs do. A callback for a range of the kernel's addresses (7.3's
 *    iommu_sva_invalidate_kva_range(), when kernel page tables are freed)
 *    counts as a kva call, the others as invalidation calls; both flush the
 *    same.
 *  - core: each invalidate_mm, once per instance with a bond of the mm and
 *    range, flushes the instance's IOTLB once (by PASID or ASID) and the ATC
 *    of each device of the instance bound to the mm: 1 + N flushes, as the
 *    patched SMMUv3 and VT-d do. Each invalidate_kva flushes the
 *    instance's IOTLB and paging-structure caches for the PASID once, and
 *    counts as a kva call.
 *
 * SVA_BENCH_COUNTS returns the counts since the module was loaded, summed
 * over the instances; they are never reset: read them before and after.
 *
 * The iommu_ops have no owner: the core takes a reference to the owner for
 * each probed device, which would keep the module from ever being removed,
 * as the devices live as long as it does. The files of /dev/sva_bench hold
 * the module; once they are closed no bond is left, and the exit removes
 * the devices, then the instances, before the code goes.
 *
 * Nothing is printed but a failed init; nothing that user space does WARNs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/iommu.h>
#include <linux/miscdevice.h>
#include <linux/mm_types.h>
#include <linux/mmu_notifier.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/property.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/wait_bit.h>

/*
 * iommu_device_register_bus(), iommu_device_unregister_bus() and
 * iommu_mock_device_add(): exported by drivers/iommu/iommu.c for mock IOMMUs,
 * under the options checked below; the Makefile adds drivers/iommu/ of the
 * kernel's source to the include path.
 */
#include "iommu-priv.h"
#include "sva-bench.h"

#if !IS_ENABLED(CONFIG_IOMMU_SVA)
#error "sva_bench needs CONFIG_IOMMU_SVA"
#endif
#ifdef SVA_BENCH_CORE
#if !IS_ENABLED(CONFIG_IOMMUFD_TEST) && !IS_ENABLED(CONFIG_IOMMU_SVA_TEST) && \
	!IS_ENABLED(CONFIG_IOMMU_SVA_KUNIT_TEST)
#error "sva_bench needs CONFIG_IOMMU_SVA_TEST, CONFIG_IOMMUFD_TEST or CONFIG_IOMMU_SVA_KUNIT_TEST"
#endif
#else
#if !IS_ENABLED(CONFIG_IOMMUFD_TEST)
#error "sva_bench needs CONFIG_IOMMUFD_TEST on 7.3"
#endif
#if !IS_ENABLED(CONFIG_MMU_NOTIFIER)
#error "sva_bench needs CONFIG_MMU_NOTIFIER on 7.3"
#endif
#endif

#define SB_PASID_BITS	20

#ifdef SVA_BENCH_CORE
#define SB_API	"core"
#else
#define SB_API	"7.3"
#endif

/**
 * struct sb_inst - A mock IOMMU instance
 * @iommu: The instance, registered on @bus
 * @nb: The notifier of @bus, for the core
 * @bus: The bus of the instance's devices
 * @id: Index in sb_insts
 * @inv_calls: Invalidations of user ranges
 * @flushes: Flushes of the IOTLB and of the devices' ATCs
 * @kva_calls: Invalidations of kernel ranges
 */
struct sb_inst {
	struct iommu_device iommu;
	struct notifier_block nb;
	const struct bus_type *bus;
	unsigned int id;
	atomic64_t inv_calls;
	atomic64_t flushes;
	atomic64_t kva_calls;
};

/**
 * struct sb_dev - A PASID-capable device behind a mock IOMMU
 * @dev: The device, on its instance's bus
 * @inst: The instance
 */
struct sb_dev {
	struct device dev;
	struct sb_inst *inst;
};

/**
 * struct sb_bond - A device on the list of what an mm's invalidations flush
 * @node: On the list, under the list's lock, walked under RCU
 * @sdev: The device
 * @rcu: To free it after the walkers
 */
struct sb_bond {
	struct list_head node;
	struct sb_dev *sdev;
	struct rcu_head rcu;
};

/**
 * struct sb_file - An open file of /dev/sva_bench
 * @lock: Serialises the file's binds and unbinds
 * @handles: The file's bond of each device, or NULL
 */
struct sb_file {
	struct mutex lock; /* see above */
	struct iommu_sva *handles[SVA_BENCH_DEVICES];
};

static const struct bus_type sb_buses[SVA_BENCH_INSTANCES] = {
	{ .name = "sva_bench0" },
	{ .name = "sva_bench1" },
};

static struct sb_inst sb_insts[SVA_BENCH_INSTANCES];
static struct sb_dev *sb_devs[SVA_BENCH_DEVICES];

static struct sb_dev *to_sb_dev(struct device *dev)
{
	return container_of(dev, struct sb_dev, dev);
}

/* An IOTLB or ATC invalidation command, and the wait for it */
static void sb_flush(struct sb_inst *inst)
{
	atomic64_inc(&inst->flushes);
}

static struct sb_bond *sb_bond_add(struct list_head *bonds, spinlock_t *lock,
				   struct sb_dev *sdev)
{
	struct sb_bond *bond = kzalloc_obj(*bond);

	if (!bond)
		return NULL;
	bond->sdev = sdev;
	spin_lock(lock);
	list_add_tail_rcu(&bond->node, bonds);
	spin_unlock(lock);
	return bond;
}

static void sb_bond_remove(struct list_head *bonds, spinlock_t *lock,
			   struct sb_dev *sdev)
{
	struct sb_bond *bond;

	spin_lock(lock);
	list_for_each_entry(bond, bonds, node) {
		if (bond->sdev == sdev) {
			list_del_rcu(&bond->node);
			kfree_rcu(bond, rcu);
			break;
		}
	}
	spin_unlock(lock);
}

#ifdef SVA_BENCH_CORE
/**
 * struct sb_sva_iommu - An mm bound on a mock IOMMU instance
 * @core: The SVA core's part
 * @inst: The instance
 * @lock: Protects the writes to @bonds
 * @bonds: The instance's devices bound to the mm
 */
struct sb_sva_iommu {
	struct iommu_sva_iommu core;
	struct sb_inst *inst;
	spinlock_t lock; /* see above */
	struct list_head bonds;
};

static struct sb_sva_iommu *to_sb_sva_iommu(struct iommu_sva_iommu *sva_iommu)
{
	return container_of(sva_iommu, struct sb_sva_iommu, core);
}

static struct iommu_sva_iommu *sb_sva_iommu_alloc(struct iommu_device *iommu)
{
	struct sb_sva_iommu *s = kzalloc_obj(*s);

	if (!s)
		return ERR_PTR(-ENOMEM);
	s->inst = container_of(iommu, struct sb_inst, iommu);
	spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->bonds);
	return &s->core;
}

/* After the last unbind_mm: @bonds is empty, but invalidate_mm may run */
static void sb_sva_iommu_free(struct iommu_sva_iommu *sva_iommu)
{
	struct sb_sva_iommu *s = to_sb_sva_iommu(sva_iommu);

	kfree_rcu(s, core.rcu);
}

static int sb_bind_mm(struct device *dev, struct iommu_sva_iommu *sva_iommu)
{
	struct sb_sva_iommu *s = to_sb_sva_iommu(sva_iommu);

	if (!sb_bond_add(&s->bonds, &s->lock, to_sb_dev(dev)))
		return -ENOMEM;
	return 0;
}

/* No entry of the device is left in the caches: no more ATC flushes */
static void sb_block_mm(struct device *dev, struct iommu_sva_iommu *sva_iommu)
{
	struct sb_sva_iommu *s = to_sb_sva_iommu(sva_iommu);

	sb_bond_remove(&s->bonds, &s->lock, to_sb_dev(dev));
}

/* block_mm, always called before, left nothing to undo */
static void sb_unbind_mm(struct device *dev, struct iommu_sva_iommu *sva_iommu)
{
}

/* Under RCU, possibly in atomic context */
static void sb_invalidate_mm(struct iommu_sva_iommu *sva_iommu,
			     unsigned long start, unsigned long end)
{
	struct sb_sva_iommu *s = to_sb_sva_iommu(sva_iommu);
	struct sb_inst *inst = s->inst;
	struct sb_bond *bond;

	atomic64_inc(&inst->inv_calls);
	/* The instance's IOTLB, for the PASID */
	sb_flush(inst);
	rcu_read_lock();
	/* The ATC of each device bound to the mm */
	list_for_each_entry_rcu(bond, &s->bonds, node)
		sb_flush(inst);
	rcu_read_unlock();
}

/* Under RCU, in any context: the IOTLB and paging-structure caches */
static void sb_invalidate_kva(struct iommu_sva_iommu *sva_iommu,
			      unsigned long start, unsigned long end)
{
	struct sb_inst *inst = to_sb_sva_iommu(sva_iommu)->inst;

	atomic64_inc(&inst->kva_calls);
	sb_flush(inst);
}
#else /* !SVA_BENCH_CORE */
/**
 * struct sb_domain - An SVA domain of 7.3: an mm on a mock IOMMU instance
 * @domain: The core's part
 * @mn: The domain's notifier on the mm
 * @inst: The instance
 * @lock: Protects the writes to @bonds
 * @bonds: The devices attached to the domain
 */
struct sb_domain {
	struct iommu_domain domain;
	struct mmu_notifier mn;
	struct sb_inst *inst;
	spinlock_t lock; /* see above */
	struct list_head bonds;
};

/* The notifiers whose free_notifier has not run yet, see sb_exit() */
static atomic_t sb_notifiers = ATOMIC_INIT(0);

static const struct iommu_domain_ops sb_sva_domain_ops;

static struct sb_domain *to_sb_domain(struct iommu_domain *domain)
{
	return container_of(domain, struct sb_domain, domain);
}

/* Take the device off @old, if it is an SVA domain of the mock */
static void sb_sva_detach(struct iommu_domain *old, struct sb_dev *sdev)
{
	struct sb_domain *d;

	if (!old || old->ops != &sb_sva_domain_ops)
		return;
	d = to_sb_domain(old);
	sb_bond_remove(&d->bonds, &d->lock, sdev);
}

/*
 * Called under SRCU, possibly in atomic context, once for each domain of the
 * mm: for 7.3's kernel page-table frees too, with a kernel range.
 */
static void sb_mn_invalidate(struct mmu_notifier *mn, struct mm_struct *mm,
			     unsigned long start, unsigned long end)
{
	struct sb_domain *d = container_of(mn, struct sb_domain, mn);
	struct sb_inst *inst = d->inst;
	struct sb_bond *bond;

	if (start >= mm->task_size)
		atomic64_inc(&inst->kva_calls);
	else
		atomic64_inc(&inst->inv_calls);
	/* The instance's IOTLB, for the domain */
	sb_flush(inst);
	rcu_read_lock();
	/* The ATC of each device attached to it */
	list_for_each_entry_rcu(bond, &d->bonds, node)
		sb_flush(inst);
	rcu_read_unlock();
}

static void sb_mn_free(struct mmu_notifier *mn)
{
	kfree(container_of(mn, struct sb_domain, mn));
	if (atomic_dec_and_test(&sb_notifiers))
		wake_up_var(&sb_notifiers);
}

static const struct mmu_notifier_ops sb_mn_ops = {
	.arch_invalidate_secondary_tlbs = sb_mn_invalidate,
	.free_notifier = sb_mn_free,
};

static int sb_sva_set_dev_pasid(struct iommu_domain *domain, struct device *dev,
				ioasid_t pasid, struct iommu_domain *old)
{
	struct sb_domain *d = to_sb_domain(domain);
	struct sb_dev *sdev = to_sb_dev(dev);

	/* As SMMUv3: a domain is one instance's */
	if (sdev->inst != d->inst)
		return -EINVAL;
	if (!sb_bond_add(&d->bonds, &d->lock, sdev))
		return -ENOMEM;
	sb_sva_detach(old, sdev);
	return 0;
}

/* The notifier frees the domain once its callbacks are done */
static void sb_sva_domain_free(struct iommu_domain *domain)
{
	mmu_notifier_put(&to_sb_domain(domain)->mn);
}

static const struct iommu_domain_ops sb_sva_domain_ops = {
	.set_dev_pasid = sb_sva_set_dev_pasid,
	.free = sb_sva_domain_free,
};

static struct iommu_domain *sb_domain_alloc_sva(struct device *dev,
						struct mm_struct *mm)
{
	struct sb_domain *d;
	int ret;

	d = kzalloc_obj(*d);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->domain.ops = &sb_sva_domain_ops;
	d->inst = to_sb_dev(dev)->inst;
	spin_lock_init(&d->lock);
	INIT_LIST_HEAD(&d->bonds);
	d->mn.ops = &sb_mn_ops;
	ret = mmu_notifier_register(&d->mn, mm);
	if (ret) {
		kfree(d);
		return ERR_PTR(ret);
	}
	atomic_inc(&sb_notifiers);
	return &d->domain;
}
#endif /* SVA_BENCH_CORE */

static int sb_blocked_attach_dev(struct iommu_domain *domain,
				 struct device *dev, struct iommu_domain *old)
{
	return 0;
}

#ifndef SVA_BENCH_CORE
/* 7.3's detach of a PASID: iommu_detach_device_pasid() */
static int sb_blocked_set_dev_pasid(struct iommu_domain *domain,
				    struct device *dev, ioasid_t pasid,
				    struct iommu_domain *old)
{
	sb_sva_detach(old, to_sb_dev(dev));
	return 0;
}
#endif

static const struct iommu_domain_ops sb_blocked_ops = {
	.attach_dev = sb_blocked_attach_dev,
#ifndef SVA_BENCH_CORE
	.set_dev_pasid = sb_blocked_set_dev_pasid,
#endif
};

/* Without a PASID, the devices access nothing */
static struct iommu_domain sb_blocked_domain = {
	.type = IOMMU_DOMAIN_BLOCKED,
	.ops = &sb_blocked_ops,
};

static struct iommu_device *sb_probe_device(struct device *dev)
{
	unsigned int i;

	for (i = 0; i < SVA_BENCH_INSTANCES; i++)
		if (dev->bus == &sb_buses[i])
			return &sb_insts[i].iommu;
	return ERR_PTR(-ENODEV);
}

/* No owner: see the top of the file */
static const struct iommu_ops sb_iommu_ops = {
	.default_domain = &sb_blocked_domain,
	.blocked_domain = &sb_blocked_domain,
	.probe_device = sb_probe_device,
	.device_group = generic_device_group,
#ifdef SVA_BENCH_CORE
	.sva_iommu_alloc = sb_sva_iommu_alloc,
	.sva_iommu_free = sb_sva_iommu_free,
	.bind_mm = sb_bind_mm,
	.block_mm = sb_block_mm,
	.unbind_mm = sb_unbind_mm,
	.invalidate_mm = sb_invalidate_mm,
	.invalidate_kva = sb_invalidate_kva,
#else
	.domain_alloc_sva = sb_domain_alloc_sva,
#endif
};

static int sb_info(struct sva_bench_info __user *uarg)
{
	struct sva_bench_info info = {
		.instances = SVA_BENCH_INSTANCES,
		.devices_per_instance = SVA_BENCH_DEVS_PER_INSTANCE,
		.api = SB_API,
	};

	return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
}

static int sb_bind(struct sb_file *f, struct sva_bench_bind __user *uarg)
{
	struct sva_bench_bind cmd;
	struct iommu_sva *handle;
	int ret = 0;

	if (copy_from_user(&cmd, uarg, sizeof(cmd)))
		return -EFAULT;
	if (cmd.dev >= SVA_BENCH_DEVICES)
		return -EINVAL;
	if (!current->mm)
		return -ESRCH;

	mutex_lock(&f->lock);
	if (f->handles[cmd.dev]) {
		ret = -EBUSY;
		goto out_unlock;
	}
	handle = iommu_sva_bind_device(&sb_devs[cmd.dev]->dev, current->mm);
	if (IS_ERR(handle)) {
		ret = PTR_ERR(handle);
		goto out_unlock;
	}
	cmd.pasid = iommu_sva_get_pasid(handle);
	if (copy_to_user(uarg, &cmd, sizeof(cmd))) {
		iommu_sva_unbind_device(handle);
		ret = -EFAULT;
		goto out_unlock;
	}
	f->handles[cmd.dev] = handle;
out_unlock:
	mutex_unlock(&f->lock);
	return ret;
}

static int sb_unbind(struct sb_file *f, u32 __user *uarg)
{
	int ret = 0;
	u32 dev;

	if (get_user(dev, uarg))
		return -EFAULT;
	if (dev >= SVA_BENCH_DEVICES)
		return -EINVAL;

	mutex_lock(&f->lock);
	if (f->handles[dev]) {
		iommu_sva_unbind_device(f->handles[dev]);
		f->handles[dev] = NULL;
	} else {
		ret = -ENOENT;
	}
	mutex_unlock(&f->lock);
	return ret;
}

static int sb_counts(struct sva_bench_counts __user *uarg)
{
	struct sva_bench_counts counts = { };
	unsigned int i;

	for (i = 0; i < SVA_BENCH_INSTANCES; i++) {
		counts.inv_calls += atomic64_read(&sb_insts[i].inv_calls);
		counts.flushes += atomic64_read(&sb_insts[i].flushes);
		counts.kva_calls += atomic64_read(&sb_insts[i].kva_calls);
	}
	return copy_to_user(uarg, &counts, sizeof(counts)) ? -EFAULT : 0;
}

static long sb_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct sb_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case SVA_BENCH_INFO:
		return sb_info(uarg);
	case SVA_BENCH_BIND:
		return sb_bind(f, uarg);
	case SVA_BENCH_UNBIND:
		return sb_unbind(f, uarg);
	case SVA_BENCH_COUNTS:
		return sb_counts(uarg);
	default:
		return -ENOTTY;
	}
}

static int sb_open(struct inode *inode, struct file *file)
{
	struct sb_file *f = kzalloc_obj(*f);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return nonseekable_open(inode, file);
}

static int sb_release(struct inode *inode, struct file *file)
{
	struct sb_file *f = file->private_data;
	unsigned int i;

	for (i = 0; i < SVA_BENCH_DEVICES; i++)
		if (f->handles[i])
			iommu_sva_unbind_device(f->handles[i]);
	mutex_destroy(&f->lock);
	kfree(f);
	return 0;
}

static const struct file_operations sb_fops = {
	.owner = THIS_MODULE,
	.open = sb_open,
	.release = sb_release,
	.unlocked_ioctl = sb_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice sb_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "sva_bench",
	.fops = &sb_fops,
	.mode = 0600,
};

static void sb_dev_release(struct device *dev)
{
	kfree(to_sb_dev(dev));
}

/* Add device @index of the module, behind @inst */
static int sb_dev_add(struct sb_inst *inst, unsigned int index)
{
	const struct property_entry props[] = {
		PROPERTY_ENTRY_U32("pasid-num-bits", SB_PASID_BITS),
		{ }
	};
	struct sb_dev *sdev;
	int ret;

	sdev = kzalloc_obj(*sdev);
	if (!sdev)
		return -ENOMEM;
	sdev->inst = inst;
	device_initialize(&sdev->dev);
	sdev->dev.bus = inst->bus;
	sdev->dev.release = sb_dev_release;
	sdev->dev.id = index;

	ret = dev_set_name(&sdev->dev, "sva_bench%u", index);
	if (!ret)
		ret = device_create_managed_software_node(&sdev->dev, props, NULL);
	/* The device's IOMMU is the instance, whose firmware node it names */
	if (!ret)
		ret = iommu_mock_device_add(&sdev->dev, &inst->iommu);
	if (ret) {
		put_device(&sdev->dev);
		return ret;
	}
	/* The core's probe failed, or gave the device no PASID */
	if (!sdev->dev.iommu_group || !sdev->dev.iommu->max_pasids) {
		device_unregister(&sdev->dev);
		return -ENODEV;
	}
	sb_devs[index] = sdev;
	return 0;
}

static void sb_devs_remove(struct sb_inst *inst)
{
	unsigned int i;

	for (i = 0; i < SVA_BENCH_DEVICES; i++) {
		if (sb_devs[i] && sb_devs[i]->inst == inst) {
			device_unregister(&sb_devs[i]->dev);
			sb_devs[i] = NULL;
		}
	}
}

static int sb_inst_add(struct sb_inst *inst, unsigned int id)
{
	unsigned int i;
	int ret;

	inst->id = id;
	inst->bus = &sb_buses[id];
	ret = bus_register(inst->bus);
	if (ret)
		return ret;

	inst->iommu.max_pasids = 1U << SB_PASID_BITS;
	ret = iommu_device_sysfs_add(&inst->iommu, NULL, NULL, "sva_bench_iommu%u", id);
	if (ret)
		goto err_bus;
	ret = iommu_device_register_bus(&inst->iommu, &sb_iommu_ops, inst->bus,
					&inst->nb);
	if (ret)
		goto err_sysfs;

	for (i = 0; i < SVA_BENCH_DEVS_PER_INSTANCE; i++) {
		ret = sb_dev_add(inst, id * SVA_BENCH_DEVS_PER_INSTANCE + i);
		if (ret)
			goto err_devs;
	}
	return 0;

err_devs:
	sb_devs_remove(inst);
	iommu_device_unregister_bus(&inst->iommu, inst->bus, &inst->nb);
err_sysfs:
	iommu_device_sysfs_remove(&inst->iommu);
err_bus:
	bus_unregister(inst->bus);
	return ret;
}

static void sb_inst_remove(struct sb_inst *inst)
{
	sb_devs_remove(inst);
	iommu_device_unregister_bus(&inst->iommu, inst->bus, &inst->nb);
	iommu_device_sysfs_remove(&inst->iommu);
	bus_unregister(inst->bus);
}

static int __init sb_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < SVA_BENCH_INSTANCES; i++) {
		ret = sb_inst_add(&sb_insts[i], i);
		if (ret)
			goto err_insts;
	}
	ret = misc_register(&sb_misc);
	if (ret)
		goto err_insts;
	return 0;

err_insts:
	while (i--)
		sb_inst_remove(&sb_insts[i]);
	pr_err("init failed: %pe\n", ERR_PTR(ret));
	return ret;
}
module_init(sb_init);

/*
 * No file is open, so no bond is left: the devices and the instances go.
 * With 7.3, the SVA domains' notifiers are freed after an SRCU grace
 * period, by their free_notifier, which is this module's code: wait for
 * the last, then for the grace period of any callback still returning.
 */
static void __exit sb_exit(void)
{
	unsigned int i;

	misc_deregister(&sb_misc);
	for (i = SVA_BENCH_INSTANCES; i--;)
		sb_inst_remove(&sb_insts[i]);
#ifndef SVA_BENCH_CORE
	wait_var_event(&sb_notifiers, !atomic_read(&sb_notifiers));
	mmu_notifier_synchronize();
#endif
}
module_exit(sb_exit);

MODULE_DESCRIPTION("SVA benchmark: mock IOMMUs with PASID-capable devices");
MODULE_LICENSE("GPL");
