package io.stepcast.bridge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestRedisClusterIT {

    @BeforeAll
    static void cluster() {
        TestRedisCluster.assumeAvailable();
    }

    @Test
    void sharedClusterHasThreeMastersEachWithAReplicaCoveringAllSlots() {
        TestRedisCluster cluster = TestRedisCluster.shared();
        List<ClusterNodes.Node> nodes = ClusterNodes.read(cluster.anyLiveNode());
        List<ClusterNodes.Node> masters =
                nodes.stream().filter(ClusterNodes.Node::master).toList();
        assertEquals(3, masters.size(), nodes::toString);
        assertEquals(3, nodes.stream().filter(n -> !n.master()).count());
        for (ClusterNodes.Node m : masters) {
            assertTrue(nodes.stream().anyMatch(n -> m.id().equals(n.masterId())), "replica of " + m.port());
        }
        for (int slot : new int[] {0, 5000, 10000, 16383}) {
            assertTrue(masters.stream().anyMatch(m -> m.serves(slot)), "slot " + slot);
        }
        assertTrue(cluster.uri().startsWith("redis://"), cluster.uri());
    }
}
