/**
 * The scripts' shared option groups, declared once each and used with picocli's {@code @Mixin}:
 * {@link dev.edgeai.cli.BackendOptions} (where the server is, client patience), {@link dev.edgeai.cli.ModelPairOptions}
 * (the small and the large model), {@link dev.edgeai.cli.GenerationOptions} (max tokens, temperature, seed),
 * {@link dev.edgeai.cli.DocsOptions}, {@link dev.edgeai.cli.ResultsOptions} and, for the two servers,
 * {@link dev.edgeai.cli.ServerOptions} (bind address, allowed Host names, CORS origins); {@link dev.edgeai.cli.Cli} runs a
 * command so every script fails the same way (one line, exit codes, a stack trace only with --verbose). What the
 * options mean is decided in the library ({@link dev.edgeai.discovery.Backends#choose}), testable without picocli.
 */
package dev.edgeai.cli;
