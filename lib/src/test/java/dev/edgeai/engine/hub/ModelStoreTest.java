package dev.edgeai.engine.hub;

import static org.junit.jupiter.api.Assertions.*;

import dev.edgeai.chat.ChatException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @Test
    void resolvesFolderFoundryIdAndCachedRepo(@TempDir Path tmp) throws Exception {
        Path foundry = tmp.resolve("foundry/models");
        Path variant = foundry.resolve("Microsoft/Phi-4-mini-instruct-generic-cpu-4/cpu-int4-rtn-block-32-acc-level-4");
        Files.createDirectories(variant);
        Files.writeString(variant.resolve("genai_config.json"), "{}");
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache.resolve("onnx-community/Qwen2.5-0.5B-Instruct"));
        Files.createDirectories(cache.resolve("org/name@v1.0"));
        // a dead endpoint: nothing here may touch the network
        var store =
                new ModelStore(cache, foundry, new HubDownloader(URI.create("http://127.0.0.1:9"), null, false, ""));

        assertEquals(tmp, store.resolve(tmp.toString()));
        assertEquals(variant, store.resolve("Phi-4-mini-instruct-generic-cpu:4"));
        assertEquals(variant, store.resolve("phi-4-mini-instruct-generic-cpu-4"));
        assertEquals(variant, store.resolve("phi-4-mini"), "Foundry's cached copy of an alias, not a download");
        Path imported = Files.createDirectories(cache.resolve("local/phi-4-mini"));
        assertEquals(imported, store.resolve("phi-4-mini"), "a model imported under that very name comes first");
        assertEquals(
                cache.resolve("onnx-community/Qwen2.5-0.5B-Instruct"),
                store.resolve("onnx-community/Qwen2.5-0.5B-Instruct"));
        assertEquals(cache.resolve("org/name@v1.0"), store.resolve("org/name@v1.0"));
        ChatException e = assertThrows(ChatException.class, () -> store.resolve("no such thing"));
        assertEquals(ChatException.Kind.UNKNOWN_MODEL, e.kind());
    }
}
