package io.fulcrum.registry;

import java.util.List;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

interface AliasMoveRepository extends Repository<AliasMove, Long> {

    AliasMove save(AliasMove move);

    /** Every move of one alias, newest first (moves of one model are made one at a time, in id order). */
    @Query("select m from AliasMove m where m.modelId = :modelId and m.alias = :alias order by m.id desc")
    List<AliasMove> history(long modelId, String alias);

    /** Every move of every alias of a model, newest first. */
    @Query("select m from AliasMove m where m.modelId = :modelId order by m.id desc")
    List<AliasMove> history(long modelId);
}
