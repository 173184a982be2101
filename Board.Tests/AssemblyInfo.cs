// The board models are static, as the board is: one test at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
