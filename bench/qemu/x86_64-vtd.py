# SPDX-License-Identifier: GPL-2.0
# Boot smoke test of the x86_64 KUnit kernel (built with x86_64.py): a q35
# machine with an Intel VT-d IOMMU in scalable mode, interrupt remapping on,
# and the bench's disk on virtio-blk-pci at 00:10.0 behind it
# (bench/check-kunit.sh adds the disk). x86_64-vtd.expect says what its boot
# log must show.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='x86_64',
			   kconfig='',
			   qemu_arch='x86_64',
			   kernel_path='arch/x86/boot/bzImage',
			   kernel_command_line='console=ttyS0 intel_iommu=on iommu.strict=1',
			   extra_qemu_params=['-machine', 'q35,kernel-irqchip=split',
					      '-device', 'intel-iommu,intremap=on,x-scalable-mode=on'])
