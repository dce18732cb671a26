//! Optional parallelism. With the `parallel` feature (the command-line program), large inputs are
//! split across the rayon pool; without it (the browser build) everything runs on the caller's
//! thread. Either way the results are the same bytes: callers only ever split work whose pieces
//! combine exactly (tests in [`crate::format::canonical`] and [`crate::format::merkle`] compare pool sizes).

/// The number of threads work may be spread over (1 without the `parallel` feature).
pub fn threads() -> usize {
    #[cfg(feature = "parallel")]
    {
        rayon::current_num_threads()
    }
    #[cfg(not(feature = "parallel"))]
    {
        1
    }
}

/// Run `a` and `b`, in parallel when the feature is on, and return both results.
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    #[cfg(feature = "parallel")]
    {
        rayon::join(a, b)
    }
    #[cfg(not(feature = "parallel"))]
    {
        (a(), b())
    }
}

/// `f` of each adjacent pair of `cuts` (`cuts[i]..cuts[i + 1]`), in order; with the `parallel`
/// feature, at least `min_len` pairs go to one task.
pub fn map_windows<I, T, F>(cuts: &[I], min_len: usize, f: F) -> Vec<T>
where
    I: Copy + Sync,
    T: Send,
    F: Fn(I, I) -> T + Sync + Send,
{
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        cuts.par_windows(2)
            .with_min_len(min_len.max(1))
            .map(|w| f(w[0], w[1]))
            .collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        let _ = min_len;
        cuts.windows(2).map(|w| f(w[0], w[1])).collect()
    }
}

/// `f(slice, start, end)` for each output slice and the matching pair of `cuts`.
pub fn fill_windows<T, F>(outs: Vec<&mut [T]>, cuts: &[usize], f: F)
where
    T: Send,
    F: Fn(&mut [T], usize, usize) + Sync + Send,
{
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        outs.into_par_iter()
            .zip(cuts.par_windows(2))
            .for_each(|(out, w)| f(out, w[0], w[1]));
    }
    #[cfg(not(feature = "parallel"))]
    {
        for (out, w) in outs.into_iter().zip(cuts.windows(2)) {
            f(out, w[0], w[1]);
        }
    }
}
