package dev.edgeai.cli;

import dev.edgeai.chat.ChatException;
import dev.edgeai.chat.Terminal;
import dev.edgeai.engine.hub.ModelsUnavailable;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The one way scripts run their picocli command, so every script fails the same way: one line on stderr that
 * says what to do, exit code 1 (2 for bad options, as picocli does), and a stack trace only with --verbose.
 * Boolean options (and their env-var defaults) accept {@link Flags#ACCEPTED}; enum options ignore case.
 */
public final class Cli {
    /** Scripts name the variable an option reads in its description: "(env BENCH_STREAM; default: ...)". */
    private static final Pattern ENV_REF = Pattern.compile("\\benv ([A-Z][A-Z0-9_]*)");

    private Cli() {}

    public static int execute(Object command, String... args) {
        return commandLine(command).execute(args);
    }

    /** The configured CommandLine {@link #execute} runs; public so tests can parse without running. */
    public static CommandLine commandLine(Object command) {
        CommandLine cmd = new CommandLine(command);
        layout(cmd, cmd.getCommandSpec().name());
        cmd.setUsageHelpAutoWidth(true); // descriptions use a wider terminal when there is one
        cmd.registerConverter(Boolean.class, new Flags.Converter());
        cmd.registerConverter(boolean.class, new Flags.Converter());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        // Option groups that keep per-script defaults (GenerationOptions) provide them, so help shows them too.
        List<CommandLine.IDefaultValueProvider> providers = cmd.getCommandSpec().mixins().values().stream()
                .map(CommandLine.Model.CommandSpec::userObject)
                .filter(o -> o instanceof CommandLine.IDefaultValueProvider)
                .map(o -> (CommandLine.IDefaultValueProvider) o)
                .toList();
        if (!providers.isEmpty()) {
            cmd.setDefaultValueProvider(arg -> {
                for (CommandLine.IDefaultValueProvider p : providers) {
                    String v = p.defaultValue(arg);
                    if (v != null) return v;
                }
                return null;
            });
        }
        cmd.setParameterExceptionHandler(Cli::badOption);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean verbose = parseResult.hasMatchedOption("--verbose");
            if (ex instanceof ModelsUnavailable offline) { // a dead end turned into next steps
                err.println("error: " + Terminal.safe(oneLine(ex.getMessage())));
                boolean endpoint = commandLine.getCommandSpec().findOption("--endpoint") != null;
                offline.guide(commandLine.getCommandSpec().name(), endpoint).forEach(l -> err.println("  " + l));
                if (verbose) ex.printStackTrace(err);
            } else if (isExpected(ex) && !verbose) {
                err.println("error: " + Terminal.safe(oneLine(ex.getMessage())));
                err.println("       (run with --verbose for details)");
            } else {
                err.println("error: " + Terminal.safe(oneLine(String.valueOf(ex.getMessage()))));
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cmd;
    }

    /** --version and the help layout, for the command and its subcommands (models list, models pull, ...). */
    private static void layout(CommandLine cmd, String script) {
        CommandLine.Model.CommandSpec spec = cmd.getCommandSpec();
        if (spec.version().length == 0 && spec.versionProvider() == null) spec.versionProvider(new Versions(script));
        // Examples are meant to be pasted: print footer lines as written, never wrapped inside a word or path.
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, Cli::footer);
        for (CommandLine sub : cmd.getSubcommands().values()) layout(sub, script);
    }

    static String footer(CommandLine.Help help) {
        String[] lines = help.commandSpec().usageMessage().footer();
        if (lines.length == 0) return "";
        StringBuilder sb = new StringBuilder();
        for (String line : lines)
            sb.append(line.replace("%n", "").replace("%%", "%")).append(System.lineSeparator());
        return sb.toString();
    }

    /** One line naming the option, the value and what is accepted, then where to look: never the whole usage. */
    private static int badOption(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String msg = oneLine(ex.getMessage()) + fromEnv(ex, System.getenv());
        if (ex instanceof CommandLine.UnmatchedArgumentException u
                && !u.getSuggestions().isEmpty()) {
            msg += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        PrintWriter err = cmd.getErr();
        err.println("error: " + Terminal.safe(msg) + "; see --help");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** " (from env X)" when the bad value came from an environment variable the option's default reads. */
    static String fromEnv(CommandLine.ParameterException ex, Map<String, String> env) {
        if (ex.getArgSpec() == null || ex.getValue() == null) return "";
        Matcher m = ENV_REF.matcher(String.join(" ", ex.getArgSpec().description()));
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v != null && ex.getValue().equals(v)) return " (from env " + m.group(1) + ")";
        }
        return "";
    }

    private static boolean isExpected(Throwable ex) {
        return ex instanceof ChatException
                || ex instanceof IllegalArgumentException
                || ex instanceof UncheckedIOException
                || ex instanceof IllegalStateException;
    }

    private static String oneLine(String s) {
        return s == null ? "unknown error" : s.replaceAll("\\s*\\R\\s*", " ");
    }
}
