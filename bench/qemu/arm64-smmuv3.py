# SPDX-License-Identifier: GPL-2.0
# Boot smoke test of the arm64 KUnit kernel (built with arm64.py): the virt
# machine with an SMMUv3 in front of its PCI bus and the bench's disk on
# virtio-blk-pci at 00:10.0 behind it (bench/check-kunit.sh adds the disk).
# arm64-smmuv3.expect says what its boot log must show.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='arm64',
			   kconfig='',
			   qemu_arch='aarch64',
			   kernel_path='arch/arm64/boot/Image.gz',
			   kernel_command_line='console=ttyAMA0 iommu.strict=1',
			   extra_qemu_params=['-machine', 'virt,iommu=smmuv3',
					      '-cpu', 'max,pauth-impdef=on'])
