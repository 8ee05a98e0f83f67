// The snippets that run train models, and libtorch's state (thread count, allocator) is process-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
