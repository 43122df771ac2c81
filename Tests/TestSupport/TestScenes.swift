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
}
