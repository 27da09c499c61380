package dev.edgeai.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/models}: {@code {"object":"list","data":[...]}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelList(String object, List<Model> data) {
    public static ModelList of(List<Model> data) {
        return new ModelList("list", List.copyOf(data));
    }

    /**
     * One entry, also the answer of {@code GET /v1/models/{id}}.
     *
     * @param aliasOf this kit's servers list aliases as models of their own, naming the model they stand for
     * @param type    {@value #EMBEDDINGS} for a model that embeds and cannot chat (LM Studio marks them so too);
     *                null for a chat model
     * @param generationDefaults this kit's serve.java: what a request that leaves sampling knobs out gets
     *     (OpenAI-style names, e.g. temperature, top_p, max_tokens) and where those values come from
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(
            String id,
            String object,
            Long created,
            @JsonProperty("owned_by") String ownedBy,
            @JsonProperty("alias_of") String aliasOf,
            String type,
            @JsonProperty("generation_defaults") Map<String, Object> generationDefaults) {
        public static final String EMBEDDINGS = "embeddings";

        public static Model of(String id, long created, String ownedBy) {
            return new Model(id, "model", created, ownedBy, null, null, null);
        }

        public static Model alias(String id, long created, String ownedBy, String aliasOf) {
            return new Model(id, "model", created, ownedBy, aliasOf, null, null);
        }

        /** A model for {@code POST /v1/embeddings} only. */
        public static Model embeddings(String id, long created, String ownedBy) {
            return new Model(id, "model", created, ownedBy, null, EMBEDDINGS, null);
        }

        /** Whether the server marked it as an embedding model (it cannot chat). */
        public boolean embeds() {
            return EMBEDDINGS.equals(type);
        }

        public Model withDefaults(Map<String, Object> defaults) {
            return new Model(id, object, created, ownedBy, aliasOf, type, defaults);
        }
    }
}
