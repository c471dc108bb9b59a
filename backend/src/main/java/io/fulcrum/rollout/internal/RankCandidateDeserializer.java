package io.fulcrum.rollout.internal;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.std.StdDeserializer;

/**
 * Reads a ranking candidate field by field. A request carries hundreds of candidates, and the generic
 * path for records (a property buffer, then the constructor through a spreading method handle) cost
 * more per candidate than reading its features. Each field goes through the deserializer the record
 * would have used, so coercions and type errors, with their {@code candidates[i].field} paths, are
 * the same.
 */
public final class RankCandidateDeserializer extends StdDeserializer<RankRequest.Candidate> {

    private static final TypeReference<Map<String, Object>> FEATURES = new TypeReference<>() {};

    // the field deserializers, looked up once per mapper (resolve) instead of once per value
    private ValueDeserializer<Object> text;
    private ValueDeserializer<Object> features;
    private ValueDeserializer<Object> number;

    RankCandidateDeserializer() {
        super(RankRequest.Candidate.class);
    }

    @Override
    public void resolve(DeserializationContext ctxt) {
        text = ctxt.findRootValueDeserializer(ctxt.constructType(String.class));
        features = ctxt.findRootValueDeserializer(ctxt.getTypeFactory().constructType(FEATURES));
        number = ctxt.findRootValueDeserializer(ctxt.constructType(Double.class));
    }

    @Override
    public RankRequest.Candidate deserialize(JsonParser p, DeserializationContext ctxt) {
        if (!p.isExpectedStartObjectToken()) {
            return (RankRequest.Candidate) ctxt.handleUnexpectedToken(RankRequest.Candidate.class, p);
        }
        String itemId = null;
        Map<String, Object> featureValues = null;
        Double videoLength = null;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            JsonToken token = p.nextToken();
            try {
                switch (name) {
                    case "itemId" -> itemId = token == JsonToken.VALUE_NULL ? null : (String) text.deserialize(p, ctxt);
                    case "features" ->
                        featureValues =
                                token == JsonToken.VALUE_NULL ? null : featureMap(features.deserialize(p, ctxt));
                    case "videoLength" ->
                        videoLength = token == JsonToken.VALUE_NULL ? null : (Double) number.deserialize(p, ctxt);
                    default -> ctxt.handleUnknownProperty(p, this, RankRequest.Candidate.class, name);
                }
            } catch (JacksonException e) {
                throw DatabindException.wrapWithPath(
                        ctxt, e, new JacksonException.Reference(RankRequest.Candidate.class, name));
            }
        }
        return new RankRequest.Candidate(itemId, featureValues, videoLength);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> featureMap(Object value) {
        return (Map<String, Object>) value;
    }
}
