package dev.edgeai.engine;

import ai.onnxruntime.OnnxJavaType;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the generation loop needs to know about one model folder, read from genai_config.json or config.json
 * and checked against the ONNX session's own input and output metadata.
 *
 * @param id            the folder name; what requests name as the model
 * @param layout        which kind of folder this was read from
 * @param attentionMask input name, or null when the graph has none
 * @param positionIds   input name, or null when the graph derives positions itself (GQA)
 * @param useCacheBranch input name of optimum "merged" decoders, or null
 * @param idType        INT32 or INT64, shared by input_ids, attention_mask and position_ids
 * @param logitsType    FLOAT or FLOAT16
 * @param vocabSize     the logits width (may be smaller than the tokenizer's vocabulary, as in the GPT-2 fixture)
 * @param eosIds        token ids that end generation
 */
public record ModelDescriptor(
        String id,
        Path folder,
        Layout layout,
        Path modelFile,
        String inputIds,
        String attentionMask,
        String positionIds,
        String useCacheBranch,
        OnnxJavaType idType,
        String logits,
        OnnxJavaType logitsType,
        int vocabSize,
        KvCacheSpec kv,
        int contextLength,
        List<Integer> eosIds) {
    public enum Layout {
        GENAI,
        OPTIMUM
    }

    public ModelDescriptor {
        eosIds = List.copyOf(eosIds);
    }

    public int numLayers() {
        return kv.layout() == KvCacheSpec.Layout.COMBINED
                ? kv.pastNames().size()
                : kv.pastNames().size() / 2;
    }
}
