from django.db import migrations


def rebuild_search_keys(apps, schema_editor):
    # core/aliases.tsv now unifies more of each region's words for computing, telecoms, chips
    # and finance (演算力 and 算力, 電信商 and 电信运营商, 蝕刻 and 刻蚀, 營收 and 营业收入,
    # 創投 and 风投), its names of leaders, places and public bodies (季辛格 and 基辛格, 格達費
    # and 卡扎菲, 千里達 and 特立尼达, 工業暨安全局 and 工业和安全局) and everyday words
    # (奇異果 and 猕猴桃, 健保 and 医保), and keeps 開創投資, 損益表現 and 游標卡尺 whole:
    # keys written afresh where they differ, as `manage.py rebuild_search_keys` writes them.
    from claims.search import KeyedModels
    from claims.search import rebuild_search_keys as rebuild

    rebuild(KeyedModels.migrated(apps))


class Migration(migrations.Migration):
    dependencies = [("claims", "0040_search_keys_tech_economy_names")]

    # The old keys are not written back: `manage.py rebuild_search_keys` of the older code
    # does that.
    operations = [migrations.RunPython(rebuild_search_keys, migrations.RunPython.noop)]
