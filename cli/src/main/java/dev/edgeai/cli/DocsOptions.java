package dev.edgeai.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The documents folder of every script that retrieves (rag_chat, evaluate, agents): {@code @Mixin DocsOptions docs;}. */
public class DocsOptions {
    @Option(
            names = "--docs",
            paramLabel = "DIR",
            defaultValue = "${env:EDGEAI_DOCS:-data/docs}",
            description = "Folder of .md/.txt documents to answer from (env EDGEAI_DOCS; default: ${DEFAULT-VALUE}).")
    public Path docs;

    /** The folder, checked: a missing one fails before any loading, naming the option. */
    public Path dir() {
        if (!Files.isDirectory(docs)) {
            throw new IllegalArgumentException(
                    "--docs " + docs + " is not a folder; pass a folder of .md/.txt files (default: data/docs)");
        }
        return docs;
    }
}
