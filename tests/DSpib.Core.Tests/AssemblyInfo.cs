// Tests share libtorch's process-wide state (thread count, allocator), so they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
