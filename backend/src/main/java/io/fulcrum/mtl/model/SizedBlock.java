package io.fulcrum.mtl.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/**
 * Base of Fulcrum's blocks: every size comes from the spec at construction, so parameter shapes are
 * fixed in the constructor and children need no shape inference at initialization.
 */
abstract class SizedBlock extends AbstractBlock {

    SizedBlock(byte version) {
        super(version);
    }

    Parameter weight(String name, Shape shape, long fanIn, long fanOut) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .optInitializer(new GlorotUniform(fanIn, fanOut))
                .build());
    }

    Parameter bias(String name, Shape shape) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.BIAS)
                .optShape(shape)
                .optInitializer(Initializer.ZEROS)
                .build());
    }

    Parameter custom(String name, Shape shape, Initializer initializer) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(shape)
                .optInitializer(initializer)
                .build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : children.values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }
}
