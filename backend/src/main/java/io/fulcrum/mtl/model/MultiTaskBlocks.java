package io.fulcrum.mtl.model;

/** Builds the block of a validated spec's architecture. */
public final class MultiTaskBlocks {

    private MultiTaskBlocks() {}

    public static MultiTaskBlock create(ModelSpec spec) {
        spec.validated();
        return switch (spec.kind()) {
            case SINGLE -> new SingleTaskBlock(spec);
            case SHARED_BOTTOM -> new SharedBottomBlock(spec);
            case ASYMMETRIC -> new AsymmetricSharingBlock(spec);
            case CUSTOMIZED -> new CustomizedSharingBlock(spec);
            case CROSS_STITCH -> new CrossStitchBlock(spec);
            case SLUICE -> new SluiceBlock(spec);
            case MMOE -> new MmoeBlock(spec);
            case ML_MMOE -> new MlMmoeBlock(spec);
            case CGC -> new CgcBlock(spec);
            case PLE -> new PleBlock(spec);
            case ESMM -> new EsmmBlock(spec);
            case AITM -> new AitmBlock(spec);
            case STEM -> new StemBlock(spec);
            case ADATT -> new AdattBlock(spec);
        };
    }
}
