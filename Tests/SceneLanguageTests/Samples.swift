/// Valid scenes used by several tests: the spec's example and a few that exercise other statements.
enum Samples {
    /// The example from scene-format.md, verbatim.
    static let ghcb = #"""
    # ghcb-upm.scene: the GHCB scenario under UPM
    title  "GHCB converted to private: double allocation or host panic"
    source "LKML, 2022-09-14, Marc Orr, Re: [PATCH Part2 v5 39/45]"
    about  "A malicious guest converts its GHCB page while KVM has it mapped."

    config upm on
    pfns   0x100..0x10f

    page ghcb gfn=0x10 shared label="GHCB"
    page buf  gfn=0x20..0x23 private

    step "KVM maps the GHCB"
      kvm map ghcb via=kmap
      say "KVM has the GHCB page mapped in. The GHCB is always assumed shared."
      note "Point at the direct map pane: the kmap is tracked there."

    step "The guest converts the GHCB to private"
      guest psc ghcb private
      say "A Page State Change request, then a VMGEXIT."

    step "KVM exits to the VMM"
      kvm exit ghcb

    step "The VMM converts the page"
      vmm convert ghcb private

    step "KVM completes the request"
      kvm write ghcb
      kvm resume

    expect no guest-vc

    variant keep "The VMM keeps the shared page"
      expect double-allocation ghcb
      expect no host-panic

    variant discard "The VMM frees the shared page"
      set discard-on-convert on
      expect host-panic
    """#

    /// Without UPM: in-place conversion, page indices, a kernel object, every actor.
    static let noUPM = #"""
    title "Host writes a page the guest owns"
    about "First paragraph."
    about "Second, with a \"quote\" and a tab:\tand a line\nbreak."
    config upm off
    config directmap-unmap off
    config asid 0x20
    pfns 0x200..0x2ff
    page data gfn=0x40..0x47 private label="data"
    page spare gfn=0x50 unbacked

    step "Host code allocates its own frame"
      host alloc scratch
      host map scratch via=page_address
      host write scratch
    step "The guest hands a page back"
      guest psc data[2] shared
      guest pvalidate data[2..3] off   # trailing comment
      kvm rmpupdate data[2] shared
      kvm resume
    step "The host writes it"
      host map data[0..1] via=pin
      host write data[0]
      host unmap data[0..1]
      vmm read data
      vmm write spare
      guest read data[7] private
      guest write spare
      kvm fault-in spare
      kvm map data[4] via=uaccess
      kvm read data[4]
      kvm unmap data[4]

    expect host-panic data[0] at=3
    expect no lost-write
    expect use-after-free scratch
    """#

    static let all = [ghcb, noUPM]
}
