package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.ChatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLoadErrorsTest {
    @Test
    void truncatedOnnxNamesTheFile(@TempDir Path dir) throws Exception {
        Path m = Fixtures.copy(Fixtures.GQA, dir.resolve("gqa"));
        byte[] b = Files.readAllBytes(m.resolve("model.onnx"));
        Files.write(m.resolve("model.onnx"), Arrays.copyOf(b, b.length / 3));
        assertLoadError(m, m.resolve("model.onnx").toAbsolutePath().toString(), "corrupt or truncated");
    }

    @Test
    void garbageOnnxNamesTheFile(@TempDir Path dir) throws Exception {
        Path m = Fixtures.copy(Fixtures.GPT2, dir.resolve("gpt2"));
        Files.writeString(m.resolve("past.onnx"), "this is not a protobuf at all, just some text");
        assertLoadError(m, m.resolve("past.onnx").toAbsolutePath().toString(), "download it again");
    }

    @Test
    void missingExternalDataNamesTheFile(@TempDir Path dir) throws Exception {
        Path m = Fixtures.copy(Fixtures.LLAMA, dir.resolve("llama"));
        Files.delete(m.resolve("model.onnx.data"));
        assertLoadError(m, "model.onnx", "cannot load model file");
    }

    @Test
    void missingTokenizerJson(@TempDir Path dir) throws Exception {
        Path m = Fixtures.copy(Fixtures.GQA, dir.resolve("gqa"));
        Files.delete(m.resolve("tokenizer.json"));
        assertLoadError(m, "tokenizer.json is missing in " + m.toAbsolutePath().normalize(), "copy it");
    }

    @Test
    void missingGenaiFieldNamesFileAndField(@TempDir Path dir) throws Exception {
        Path m = Fixtures.copy(Fixtures.LLAMA, dir.resolve("llama"));
        Path cfg = m.resolve("genai_config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"filename\": \"model.onnx\",", ""));
        assertLoadError(m, "genai_config.json lacks the field model.decoder.filename", "");
        Path m2 = Fixtures.copy(Fixtures.GQA, dir.resolve("gqa"));
        Path cfg2 = m2.resolve("genai_config.json");
        Files.writeString(cfg2, Files.readString(cfg2).replace("\"eos_token_id\"", "\"eos_token_idx\""));
        assertLoadError(m2, "genai_config.json lacks the field model.eos_token_id", "");
    }

    @Test
    void notAFolder(@TempDir Path dir) {
        assertLoadError(dir.resolve("nope"), "does not exist", "");
    }

    static void assertLoadError(Path folder, String... parts) {
        ChatException e =
                assertThrows(ChatException.class, () -> LoadedModel.load(folder).close());
        assertEquals(ChatException.Kind.MODEL_LOAD, e.kind(), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }
}
