# SPDX-License-Identifier: GPL-2.0
# kunit.py --qemu_config for the x86_64 KUnit run: kunit.py's own machine,
# with no IOMMU (the SVA test's mock IOMMU must be the only one without a
# firmware node), and a kernel that also holds the VT-d, AMD and virtio
# drivers, which the boot smoke tests (x86_64-*.py) run on machines with an
# IOMMU.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='x86_64',
			   kconfig='''
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y
CONFIG_ACPI=y
CONFIG_PCI=y
CONFIG_PCI_MSI=y
CONFIG_PCI_ATS=y
CONFIG_PCI_PRI=y
CONFIG_PCI_PASID=y
CONFIG_X86_X2APIC=y
CONFIG_IRQ_REMAP=y
CONFIG_IOMMU_SUPPORT=y
CONFIG_INTEL_IOMMU=y
CONFIG_INTEL_IOMMU_SVM=y
CONFIG_INTEL_IOMMU_DEFAULT_ON=y
CONFIG_AMD_IOMMU=y
CONFIG_VIRTIO_MENU=y
CONFIG_VIRTIO_PCI=y
CONFIG_BLK_DEV=y
CONFIG_VIRTIO_BLK=y''',
			   qemu_arch='x86_64',
			   kernel_path='arch/x86/boot/bzImage',
			   kernel_command_line='console=ttyS0',
			   # qboot is faster than SeaBIOS and doesn't mess up
			   # the terminal.
			   # 1 GiB pages, so that the SVA suite's case of a 1 GiB
			   # vmap replacing page tables runs
			   extra_qemu_params=['-bios', 'qboot.rom',
					      '-cpu', 'qemu64,+pdpe1gb'])
