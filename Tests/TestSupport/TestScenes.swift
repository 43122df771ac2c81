/// Scene texts more than one test suite runs.
public enum TestScenes {
    /// Two allocators after the same frees: lifo hands gfn 0x20 (b) the last frame freed (c's,
    /// 0x101), lowest the lowest (a's, 0x100). With `reallocatingA`, a third step gives a a frame
    /// again. Slots are in declaration order (a, c, b), gfns in another (a 0x10, b 0x20, c 0x30).
    public static func freeAndReuse(reallocatingA: Bool = false) -> String {
        """
        title "t"
        config kernel thread
        config discard-on-convert on
        pfns 0x100..0x10f
        page a gfn=0x10 shared
        page c gfn=0x30 shared
        page b gfn=0x20 unbacked
        step "free a's and c's shared frames"
          vmm discard a shared
          vmm discard c shared
        step "b gets a frame"
          vmm alloc b shared

        """ + (reallocatingA ? "step \"a gets one again\"\n  vmm alloc a shared\n" : "") + """
        variant lifo "lifo"
        variant lowest "lowest"
          set allocator lowest
        """
    }

    /// Mainline (guest_memfd allocates lazily): converting a keeps its shared frame in variant
    /// keep and frees it in variant discard, in an action the keeping side's step does not have;
    /// b is touched alike on both sides.
    public static let keepOrDiscard = """
        title "keep or discard"
        config kernel mainline
        pfns 0x100..0x10f
        page a gfn=0x10 shared
        page b gfn=0x20 shared
        step "write a"
          vmm write a
        step "convert a"
          vmm convert a private
        step "write b"
          vmm write b
        variant keep "keep the shared page"
        variant discard "discard it"
          set discard-on-convert on
        """
}
