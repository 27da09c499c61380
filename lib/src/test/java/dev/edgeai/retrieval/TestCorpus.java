package dev.edgeai.retrieval;

import java.nio.file.Path;

/** The shipped corpus, found from the lib module's basedir so tests also run from an IDE. */
final class TestCorpus {
    static final Path DOCS = Path.of(System.getProperty("basedir", "."))
            .toAbsolutePath()
            .resolve("../data/docs")
            .normalize();

    private TestCorpus() {}
}
