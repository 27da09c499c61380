package dev.edgeai.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The fixture model folders under testdata/models. */
final class Fixtures {
    static final Path ROOT = Path.of("../testdata/models");
    static final Path GPT2 = ROOT.resolve("tiny-random-gpt2-fp32");
    static final Path LLAMA = ROOT.resolve("tiny-random-LlamaForCausalLM-fp16");
    static final Path GQA = ROOT.resolve("tiny-graph-capture-gqa");
    /** Built by tools/fixtures/make_fixtures.py: real tokenizer configs, int4 MatMulNBits, real-download layouts. */
    static final Path QWEN_Q4 = ROOT.resolve("tiny-random-qwen2.5-instruct-q4");

    static final Path QWEN_GENAI =
            ROOT.resolve("tiny-random-qwen2.5-instruct-generic-cpu/cpu-int4-rtn-block-32-acc-level-4");
    static final Path PHI_GENAI =
            ROOT.resolve("tiny-random-phi-4-mini-instruct-generic-cpu/cpu-int4-rtn-block-32-acc-level-4");

    private Fixtures() {}

    static Path copy(Path fixture, Path to) {
        try (Stream<Path> s = Files.list(fixture)) {
            Files.createDirectories(to);
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
