// Preloaded into a benchmarked command: reports its peak resident set size (all threads) on exit.
process.on('exit', () => process.stderr.write(`\nbench-max-rss-kb ${process.resourceUsage().maxRSS}\n`));
