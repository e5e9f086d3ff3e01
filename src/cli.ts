// `zenops` command line: the contract engine and the log collector, headless.
async function main(argv: string[]): Promise<number> {
  process.stderr.write(`zenops: unknown command ${argv[0] ?? ''}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`zenops: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
