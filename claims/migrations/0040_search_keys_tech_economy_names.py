from django.db import migrations


def rebuild_search_keys(apps, schema_editor):
    # core/aliases.tsv now unifies more of each region's names of companies, people, places
    # and public bodies (易利信 and 爱立信, 邱吉爾 and 丘吉尔, 奈洛比 and 内罗毕, 英倫銀行 and
    # 英格兰银行), its tech, market and everyday words (試算表 and 电子表格, 資本支出 and
    # 资本开支, 便當 and 盒饭), reads 仲介 as 中介, and keeps 執行長程, 裝置藝術 and 即便當時
    # whole: keys written afresh where they differ, as `manage.py rebuild_search_keys`
    # writes them.
    from claims.search import KeyedModels
    from claims.search import rebuild_search_keys as rebuild

    rebuild(KeyedModels.migrated(apps))


class Migration(migrations.Migration):
    dependencies = [("claims", "0039_search_keys_hong_kong_and_taiwan_names")]

    # The old keys are not written back: `manage.py rebuild_search_keys` of the older code
    # does that.
    operations = [migrations.RunPython(rebuild_search_keys, migrations.RunPython.noop)]
