package dev.edgeai.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.ChatRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Llama fixture rearranged as a Hugging Face optimum export: onnx/model.onnx(+data) and config.json, no genai_config. */
class OptimumLayoutTest {
    @Test
    void optimumFolderDescribesLikeTheGenaiOneAndGeneratesTheSameText(@TempDir Path dir) throws Exception {
        Path m = Fixtures.copy(Fixtures.LLAMA, dir.resolve("tiny-llama-optimum"));
        Files.delete(m.resolve("genai_config.json"));
        Files.createDirectories(m.resolve("onnx"));
        Files.move(m.resolve("model.onnx"), m.resolve("onnx/model.onnx"));
        Files.move(m.resolve("model.onnx.data"), m.resolve("onnx/model.onnx.data"));
        Files.writeString(m.resolve("config.json"), """
                {"model_type": "llama", "num_hidden_layers": 2, "num_attention_heads": 1, "num_key_value_heads": 1,
                 "hidden_size": 16, "max_position_embeddings": 2048, "vocab_size": 32000, "eos_token_id": 2}""");
        Files.writeString(m.resolve("generation_config.json"), "{\"eos_token_id\": [2, 7]}");
        try (EmbeddedBackend genai = EmbeddedBackend.load(Fixtures.LLAMA);
                EmbeddedBackend optimum = EmbeddedBackend.load(m)) {
            ModelDescriptor d = optimum.model("tiny-llama-optimum").descriptor();
            assertEquals(ModelDescriptor.Layout.OPTIMUM, d.layout());
            assertEquals(KvCacheSpec.Layout.PER_LAYER, d.kv().layout());
            assertEquals(
                    List.of("present.0.key", "present.0.value", "present.1.key", "present.1.value"),
                    d.kv().presentNames());
            assertEquals(List.of(2, 7), d.eosIds());
            assertEquals(2048, d.contextLength());
            assertArrayEquals(new long[] {1, 1, 0, 16}, d.kv().shape());
            var req = ChatRequest.builder("tiny-random-LlamaForCausalLM-fp16")
                    .user("Hello, my name is")
                    .maxTokens(16)
                    .build();
            // eos ids differ between the two configs; with random weights neither is likely in 16 tokens, but compare
            // tokens only up to length
            String a = genai.chat(req).text();
            String b = optimum.chat(req.toBuilder().model("tiny-llama-optimum").build())
                    .text();
            assertEquals(a, b);
        }
    }
}
