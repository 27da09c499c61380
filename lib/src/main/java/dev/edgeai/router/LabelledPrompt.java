package dev.edgeai.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.edgeai.results.ResultsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A prompt with the intent a person gave it; {@code source} is "file:line" for error messages and tables. */
public record LabelledPrompt(String prompt, Intent intent, String source) {

    /** Every {@code *.jsonl} in a folder (sorted by name), or one file: lines {@code {"prompt": ..., "intent": ...}}. */
    public static List<LabelledPrompt> load(Path fileOrDir) {
        List<Path> files;
        try {
            if (Files.isDirectory(fileOrDir)) {
                try (Stream<Path> s = Files.list(fileOrDir)) {
                    files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                            .sorted()
                            .toList();
                }
            } else if (Files.isRegularFile(fileOrDir)) {
                files = List.of(fileOrDir);
            } else {
                throw new IllegalArgumentException("labelled prompts not found: " + fileOrDir + " (see data/router/)");
            }
            List<LabelledPrompt> out = new ArrayList<>();
            for (Path f : files) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).isBlank()) continue;
                    String where = f.getFileName() + ":" + (i + 1);
                    JsonNode n;
                    try {
                        n = ResultsFile.json().readTree(lines.get(i));
                    } catch (IOException e) {
                        throw new IllegalArgumentException(where + " is not a JSON object: "
                                + e.getMessage().lines().findFirst().orElse(""));
                    }
                    String prompt = n.path("prompt").asText("");
                    if (prompt.isBlank()) throw new IllegalArgumentException(where + " has no \"prompt\"");
                    Intent intent;
                    try {
                        intent = Intent.of(n.path("intent").asText(""));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(where + ": " + e.getMessage());
                    }
                    out.add(new LabelledPrompt(prompt, intent, where));
                }
            }
            if (out.isEmpty()) throw new IllegalArgumentException("no labelled prompts in " + fileOrDir);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + fileOrDir + ": " + e.getMessage(), e);
        }
    }
}
